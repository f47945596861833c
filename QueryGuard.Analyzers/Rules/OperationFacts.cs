using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using QueryGuard.Baseline;
using QueryGuard.Configuration;
using QueryGuard.Driver;
using QueryGuard.Model;

namespace QueryGuard.Rules;

/// <summary>What the rules read about one operation: the operation, its filter model, its collection and what is declared for it.</summary>
internal sealed class OperationFacts
{
    public OperationFacts(MongoOperation operation, FilterNode filter, string collectionName, CollectionDeclaration? declaration = null, Version? minServerVersion = null, ElementNameResolver? names = null, FingerprintSeed? fingerprint = null)
    {
        FingerprintSeed = fingerprint;
        Names = names;
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

    /// <summary>Maps members to stored names, for fixes that need the member behind a key field.</summary>
    public ElementNameResolver? Names { get; }

    /// <summary>Everything of the baseline fingerprint but the rule ID; null in tests that build facts by hand.</summary>
    public FingerprintSeed? FingerprintSeed { get; }

    public Location Location => Operation.Location;

    /// <summary>A finding at the operation's location. Every finding carries its baseline <c>Fingerprint</c> property.</summary>
    public Diagnostic Create(DiagnosticDescriptor descriptor, params object[] messageArgs) =>
        Create(descriptor, ImmutableDictionary<string, string?>.Empty, messageArgs);

    public Diagnostic Create(DiagnosticDescriptor descriptor, ImmutableDictionary<string, string?> properties, params object[] messageArgs)
    {
        if (FingerprintSeed is { } seed)
        {
            properties = properties
                .SetItem(Fingerprint.Property, seed.For(descriptor.Id))
                .SetItem(Fingerprint.MemberProperty, seed.MemberId);
        }

        return Diagnostic.Create(descriptor, Location, properties, messageArgs);
    }

    /// <summary>
    /// Diagnostic properties naming the key fields a fix should add: <c>Keys</c> (stored names) and <c>Members</c>
    /// (the document members stored under them, empty where none is found), comma-separated in the same order.
    /// </summary>
    public ImmutableDictionary<string, string?> KeyProperties(IEnumerable<string> storedNames)
    {
        var keys = storedNames.ToList();
        var members = keys.Select(k => Names?.FindMemberStoredAs(Operation.DocumentType, k)?.Name ?? string.Empty);
        return ImmutableDictionary<string, string?>.Empty
            .Add(KeysProperty, string.Join(",", keys))
            .Add(MembersProperty, string.Join(",", members));
    }

    public const string KeysProperty = "Keys";

    public const string MembersProperty = "Members";
}
