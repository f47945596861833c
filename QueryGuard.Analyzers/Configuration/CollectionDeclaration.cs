using System;
using System.Collections.Immutable;
using System.Linq;

namespace QueryGuard.Configuration;

/// <summary>One field of a shard key: its stored path and whether it is hashed.</summary>
public sealed record ShardKeyField(string Path, bool Hashed);

/// <summary>A shard key, fields in order (the order matters: only a prefix of the key can target).</summary>
public sealed record ShardKey(ImmutableArray<ShardKeyField> Fields)
{
    public ShardKeyField Leading => Fields[0];

    /// <summary>For messages: <c>'workspaceId'</c> or <c>{ idModel, _id }</c>.</summary>
    public string Display => Fields.Length == 1 ? $"'{Fields[0].Path}'" : "{ " + string.Join(", ", Fields.Select(f => f.Path)) + " }";

    public bool Equals(ShardKey? other) => other is not null && Fields.SequenceEqual(other.Fields);

    public override int GetHashCode() => Fields.Aggregate(17, (hash, field) => (hash * 31) + field.GetHashCode());
}

/// <summary>Where a declaration came from, so conflicts can point at both places.</summary>
public enum DeclarationSource
{
    ConfigurationFile,
    ShardKeyExport,
    Attribute,
}

/// <summary>What QueryGuard knows about one collection: its document type, shard key, scope key and unique keys.</summary>
public sealed record CollectionDeclaration(
    string? Name,
    string? DocumentType,
    ShardKey? ShardKey,
    string? ScopeKey,
    ImmutableArray<ImmutableArray<string>> UniqueKeys,
    DeclarationSource Source)
{
    public static ImmutableArray<ImmutableArray<string>> NoUniqueKeys { get; } = ImmutableArray<ImmutableArray<string>>.Empty;

    /// <summary>The name for messages.</summary>
    public string DisplayName => Name ?? DocumentType?.Split('.').Last() ?? "collection";

    public bool IsUniqueKey(Func<string, bool> hasEquality) =>
        UniqueKeys.Any(key => key.Length > 0 && key.All(hasEquality));
}
