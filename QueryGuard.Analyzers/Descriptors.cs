using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace QueryGuard;

/// <summary>The one table of QueryGuard's diagnostics, as listed in RULES.md.</summary>
public static class Descriptors
{
    public static readonly DiagnosticDescriptor InvalidConfiguration = Create(
        RuleIdentifiers.InvalidConfiguration,
        "QueryGuard configuration is invalid",
        "{0}",
        DiagnosticSeverity.Warning,
        "queryguard.json, a *.shardkeys.json export or a [ShardKey]/[ScopeKey] attribute could not be read. QueryGuard ignores the offending entry until it is fixed.");

    public static readonly DiagnosticDescriptor SuppressionWithoutReason = Create(
        RuleIdentifiers.SuppressionWithoutReason,
        "QueryGuard finding suppressed without a reason",
        "{0} suppresses {1} without a reason: {2}",
        DiagnosticSeverity.Info,
        "A deliberate broad operation (a nightly purge, a migration) should say why it is safe, so that the next reader can tell intent from accident.");

    public static readonly DiagnosticDescriptor WriteMatchesEveryDocument = Create(
        RuleIdentifiers.WriteMatchesEveryDocument,
        "Write matches every document",
        "{0} on '{1}' matches every document: {2}",
        DiagnosticSeverity.Warning,
        "An update, delete, replace or find-and-modify whose filter is empty or always true changes every document of the collection.");

    public static readonly DiagnosticDescriptor WriteFilterEmptyOnSomePath = Create(
        RuleIdentifiers.WriteFilterEmptyOnSomePath,
        "Write filter can be empty on some path",
        "{0} on '{1}' matches every document when {2}",
        DiagnosticSeverity.Warning,
        "The filter is targeted on most code paths but empty on at least one: on that path the write changes every document.");

    public static readonly DiagnosticDescriptor WriteFilterOnlyExcludes = Create(
        RuleIdentifiers.WriteFilterOnlyExcludes,
        "Write filter only excludes documents",
        "{0} on '{1}' only excludes documents: {2}",
        DiagnosticSeverity.Warning,
        "Every condition of the filter is a negation or an existence test, so the write matches nearly every document.");

    public static readonly DiagnosticDescriptor WriteComparesWithNull = Create(
        RuleIdentifiers.WriteComparesWithNull,
        "Write filter compares with a value that may be null",
        "{0} on '{1}' compares '{2}' with '{3}', which may be null: a null value also matches every document without '{2}'",
        DiagnosticSeverity.Warning,
        "An equality with null matches documents whose field is null or missing, which is rarely the document the write meant.");

    public static readonly DiagnosticDescriptor SingleWriteDoesNotIdentifyDocument = Create(
        RuleIdentifiers.SingleWriteDoesNotIdentifyDocument,
        "Single-document write does not identify a document",
        "{0} on '{1}' does not identify a document: the filter has no equality on {2}, so an arbitrary matching document is changed",
        DiagnosticSeverity.Info,
        "UpdateOne, ReplaceOne, DeleteOne and FindOneAnd* change the first matching document. Without an equality on _id, a unique key or the full shard key, which one is arbitrary.");

    public static readonly DiagnosticDescriptor WriteDoesNotPinScopeKey = Create(
        RuleIdentifiers.WriteDoesNotPinScopeKey,
        "Write does not pin the scope key",
        "{0} on '{1}' does not pin the scope key '{2}'",
        DiagnosticSeverity.Warning,
        "The collection declares a scope key (a tenant or workspace key); every update or delete must compare it for equality so that one tenant's write cannot reach another tenant's documents.");

    public static readonly DiagnosticDescriptor OperationOmitsShardKey = Create(
        RuleIdentifiers.OperationOmitsShardKey,
        "Operation omits the shard key (broadcast)",
        "{0} on '{1}' is sent to every shard: the filter has no targeting condition on the shard key {2}",
        DiagnosticSeverity.Warning,
        "Without an equality or $in on the shard key (or its leading fields), mongos sends the operation to every shard.");

    public static readonly DiagnosticDescriptor ShardKeyConditionCannotTarget = Create(
        RuleIdentifiers.ShardKeyConditionCannotTarget,
        "Shard key condition cannot target a shard",
        "{0} on '{1}' is sent to every shard: {2}",
        DiagnosticSeverity.Warning,
        "The shard key appears only under operators that cannot target: $ne, $nin, $not, $exists, an unanchored regex, $text, a range or regex on a hashed key, or fields of a compound key without its leading field.");

    public static readonly DiagnosticDescriptor OrBranchOmitsShardKey = Create(
        RuleIdentifiers.OrBranchOmitsShardKey,
        "An Or branch omits the shard key",
        "{0} on '{1}' is sent to every shard: a branch of the Or has no targeting condition on the shard key {2}",
        DiagnosticSeverity.Warning,
        "mongos unions the shard ranges of the branches of $or; one branch without the key widens the whole operation to every shard.");

    public static readonly DiagnosticDescriptor UpsertWithoutFullShardKey = Create(
        RuleIdentifiers.UpsertWithoutFullShardKey,
        "Upsert or find-and-modify without the full shard key",
        "{0} on '{1}' has no equality on every shard-key field ({2}): {3}",
        DiagnosticSeverity.Warning,
        "Upserts and findAndModify need an equality on every shard-key field. Servers before 7.1 reject the operation; from 7.1 it succeeds as a broadcast query plus an extra round trip.");

    public static readonly DiagnosticDescriptor MultiWriteSpansShards = Create(
        RuleIdentifiers.MultiWriteSpansShards,
        "Multi-document write spans several shards",
        "{0} on '{1}' spans several shards: {2}; outside a transaction the server sends it to every shard",
        DiagnosticSeverity.Info,
        "Before MongoDB 8.2, an updateMany/deleteMany that targets more than one shard outside a transaction is sent to all shards.");

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        InvalidConfiguration, SuppressionWithoutReason,
        WriteMatchesEveryDocument, WriteFilterEmptyOnSomePath, WriteFilterOnlyExcludes, WriteComparesWithNull,
        SingleWriteDoesNotIdentifyDocument, WriteDoesNotPinScopeKey,
        OperationOmitsShardKey, ShardKeyConditionCannotTarget, OrBranchOmitsShardKey, UpsertWithoutFullShardKey,
        MultiWriteSpansShards);

    private static DiagnosticDescriptor Create(string id, string title, string messageFormat, DiagnosticSeverity severity, string description) =>
        new(id, title, messageFormat, RuleIdentifiers.Category, severity, isEnabledByDefault: true, description, RuleIdentifiers.GetHelpUri(id));
}
