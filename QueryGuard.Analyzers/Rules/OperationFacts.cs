using Microsoft.CodeAnalysis;
using QueryGuard.Driver;
using QueryGuard.Model;

namespace QueryGuard.Rules;

/// <summary>What the rules read about one operation: the operation, its filter model and its collection.</summary>
internal sealed class OperationFacts
{
    public OperationFacts(MongoOperation operation, FilterNode filter, string collectionName)
    {
        Operation = operation;
        Filter = filter;
        CollectionName = collectionName;
    }

    public MongoOperation Operation { get; }

    public FilterNode Filter { get; }

    /// <summary>The collection's name for messages: its <c>GetCollection</c> name, else the document type's name.</summary>
    public string CollectionName { get; }

    public Location Location => Operation.Location;

    public Diagnostic Create(DiagnosticDescriptor descriptor, params object[] messageArgs) =>
        Diagnostic.Create(descriptor, Location, messageArgs);
}
