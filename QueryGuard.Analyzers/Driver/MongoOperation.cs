using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace QueryGuard.Driver;

/// <summary>The kinds of operation QueryGuard analyses (RULES.md, "What counts as a MongoDB operation").</summary>
public enum MongoOperationKind
{
    DeleteOne,
    DeleteMany,
    UpdateOne,
    UpdateMany,
    ReplaceOne,
    FindOneAndUpdate,
    FindOneAndReplace,
    FindOneAndDelete,
    Find,
    Count,
    CountDocuments,
    Distinct,
    DistinctMany,
    Aggregate,
    Queryable,
}

public static class MongoOperationKindFacts
{
    public static bool IsWrite(this MongoOperationKind kind) => kind <= MongoOperationKind.FindOneAndDelete;

    public static bool IsMultiDocumentWrite(this MongoOperationKind kind) =>
        kind is MongoOperationKind.UpdateMany or MongoOperationKind.DeleteMany;

    public static bool IsSingleDocumentWrite(this MongoOperationKind kind) => kind.IsWrite() && !kind.IsMultiDocumentWrite();

    public static bool IsFindAndModify(this MongoOperationKind kind) =>
        kind is MongoOperationKind.FindOneAndUpdate or MongoOperationKind.FindOneAndReplace or MongoOperationKind.FindOneAndDelete;
}

/// <summary>One recognised MongoDB operation: what it does, its filter, its collection, and where to report.</summary>
internal sealed class MongoOperation
{
    public MongoOperation(
        MongoOperationKind kind,
        string displayName,
        IOperation operation,
        IOperation? filter,
        ITypeSymbol documentType,
        IOperation? collection,
        string? collectionName,
        bool isUpsert,
        bool hasSession,
        ImmutableArray<IOperation> moreFilters = default)
    {
        MoreFilters = moreFilters.IsDefault ? ImmutableArray<IOperation>.Empty : moreFilters;
        Kind = kind;
        DisplayName = displayName;
        Operation = operation;
        Filter = filter;
        DocumentType = documentType;
        Collection = collection;
        CollectionName = collectionName;
        IsUpsert = isUpsert;
        HasSession = hasSession;
    }

    public MongoOperationKind Kind { get; }

    /// <summary>The name users read in messages: <c>DeleteMany</c>, <c>UpdateOneModel</c>, <c>Where</c>.</summary>
    public string DisplayName { get; }

    /// <summary>The invocation or object creation.</summary>
    public IOperation Operation { get; }

    /// <summary>
    /// The filter argument (or LINQ predicate); null when the operation has none, which for an Aggregate without a
    /// leading <c>$match</c> means every document.
    /// </summary>
    public IOperation? Filter { get; }

    /// <summary>Further conditions ANDed with <see cref="Filter"/>: the later predicates of a LINQ chain.</summary>
    public ImmutableArray<IOperation> MoreFilters { get; }

    public ITypeSymbol DocumentType { get; }

    /// <summary>The collection expression the operation runs on, when there is one (write models have none).</summary>
    public IOperation? Collection { get; }

    /// <summary>A collection name known without binding (the namespace argument of a 3.x BulkWrite*Model).</summary>
    public string? CollectionName { get; }

    public bool IsUpsert { get; }

    /// <summary>An <c>IClientSessionHandle</c> overload: the write may run inside a transaction.</summary>
    public bool HasSession { get; }

    /// <summary>Where diagnostics go: the filter argument, else the operation itself.</summary>
    public Location Location => (Filter?.Syntax ?? Operation.Syntax).GetLocation();
}
