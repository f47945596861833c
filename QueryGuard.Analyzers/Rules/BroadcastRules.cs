using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using QueryGuard.Configuration;
using QueryGuard.Driver;
using QueryGuard.Model;

namespace QueryGuard.Rules;

/// <summary>
/// QG2001-QG2005 for collections with a declared shard key, and QG1006 for collections with a declared scope key.
/// Silent when the collection declares neither, and when part of the filter cannot be seen.
/// </summary>
internal static class BroadcastRules
{
    /// <summary>7.1 is when updateOne/deleteOne/findAndModify stopped needing the shard key (reference §1.5).</summary>
    private static readonly Version WritesWithoutShardKey = new(7, 1);

    public static IEnumerable<Diagnostic> Evaluate(OperationFacts facts)
    {
        if (facts.Declaration is not { } declaration)
        {
            yield break;
        }

        if (declaration.ShardKey is { } key && ShardKeyFinding(facts, key) is { } shardKeyFinding)
        {
            yield return shardKeyFinding;
        }

        if (declaration.ScopeKey is { } scopeKey && ScopeKeyFinding(facts, scopeKey) is { } scopeFinding)
        {
            yield return scopeFinding;
        }
    }

    private static Diagnostic? ShardKeyFinding(OperationFacts facts, ShardKey key)
    {
        var operation = facts.Operation;
        var targeting = Targeting.Analyze(facts.Filter, key);
        if (targeting.Kind is TargetingKind.Unknown or TargetingKind.MatchesNothing)
        {
            return null;
        }

        // Upserts and findAndModify need an equality on every key field; this is the more specific finding.
        if ((operation.IsUpsert || operation.Kind.IsFindAndModify()) && targeting.Kind != TargetingKind.Exact)
        {
            return UpsertWithoutFullShardKey(facts, key);
        }

        if (targeting.Kind == TargetingKind.Broadcast)
        {
            return targeting.Reason switch
            {
                // The fix adds the leading field: enough for mongos to target.
                BroadcastReason.NoKeyCondition => facts.Create(Descriptors.OperationOmitsShardKey, facts.KeyProperties(new[] { key.Leading.Path }), operation.DisplayName, facts.CollectionName, key.Display),
                BroadcastReason.OrBranchWithoutKey => facts.Create(Descriptors.OrBranchOmitsShardKey, operation.DisplayName, facts.CollectionName, key.Display),
                _ => facts.Create(Descriptors.ShardKeyConditionCannotTarget, operation.DisplayName, facts.CollectionName, targeting.Detail),
            };
        }

        // Before 8.2, a multi-document write that reaches more than one shard outside a transaction goes to all
        // shards. A session overload may run in a transaction, which QueryGuard cannot see: stay silent there.
        if (operation.Kind.IsMultiDocumentWrite() && targeting.SeveralShards && !operation.HasSession)
        {
            return facts.Create(
                Descriptors.MultiWriteSpansShards,
                operation.DisplayName,
                facts.CollectionName,
                $"the filter matches several values of the shard key {key.Display}");
        }

        return null;
    }

    private static Diagnostic UpsertWithoutFullShardKey(OperationFacts facts, ShardKey key)
    {
        var missingFields = key.Fields.Where(f => Targeting.Pins(OnlyEqualities(facts.Filter), f.Path) != true).Select(f => f.Path).ToList();
        var fields = missingFields.Count == 0 ? key.Display : string.Join(", ", missingFields.Select(f => $"'{f}'"));
        var version = facts.MinServerVersion;
        var consequence = version is null
            ? "servers before 7.1 reject it, and from 7.1 it runs as a broadcast to every shard"
            : version < WritesWithoutShardKey
                ? $"servers before 7.1 reject it (minServerVersion is {version.ToString(2)})"
                : "from 7.1 the server accepts it but runs it as a broadcast to every shard";
        var name = facts.Operation.IsUpsert ? facts.Operation.DisplayName + " (upsert)" : facts.Operation.DisplayName;
        return facts.Create(Descriptors.UpsertWithoutFullShardKey, facts.KeyProperties(missingFields), name, facts.CollectionName, fields, consequence);
    }

    /// <summary>Exact-key checks count only equalities (and one-element $in), not multi-value $in.</summary>
    private static FilterNode OnlyEqualities(FilterNode filter) => filter switch
    {
        InFilter { Values.Size: not ListSize.One } @in => new FieldFilter(@in.Path, "$in"),
        AndFilter and => Filter.And(and.Operands.Select(OnlyEqualities)),
        _ => filter,
    };

    private static Diagnostic? ScopeKeyFinding(OperationFacts facts, string scopeKey)
    {
        if (!facts.Operation.Kind.IsWrite())
        {
            return null;
        }

        return Targeting.Pins(facts.Filter, scopeKey) == false
            ? facts.Create(Descriptors.WriteDoesNotPinScopeKey, facts.KeyProperties(new[] { scopeKey }), facts.Operation.DisplayName, facts.CollectionName, scopeKey)
            : null;
    }
}
