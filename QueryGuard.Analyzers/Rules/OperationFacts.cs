using System;
using Microsoft.CodeAnalysis;
using QueryGuard.Configuration;
using QueryGuard.Driver;
using QueryGuard.Model;

namespace QueryGuard.Rules;

/// <summary>What the rules read about one operation: the operation, its filter model, its collection and what is declared for it.</summary>
internal sealed class OperationFacts
{
    public OperationFacts(MongoOperation operation, FilterNode filter, string collectionName, CollectionDeclaration? declaration = null, Version? minServerVersion = null)
    {
        Operation = operation;
        Filter = filter;
        CollectionName = collectionName;
        Declaration = declaration;
        MinServerVersion = minServerVersion;
    }

    public MongoOperation Operation { get; }

    public FilterNode Filter { get; }

    /// <summary>The collection's name for messages: its <c>GetCollection</c> name, else the document type's name.</summary>
    public string CollectionName { get; }

    /// <summary>The collection's shard key, scope key and unique keys, when declared.</summary>
    public CollectionDeclaration? Declaration { get; }

    /// <summary>The configured <c>minServerVersion</c>, when set.</summary>
    public Version? MinServerVersion { get; }

    public Location Location => Operation.Location;

    public Diagnostic Create(DiagnosticDescriptor descriptor, params object[] messageArgs) =>
        Diagnostic.Create(descriptor, Location, messageArgs);
}
