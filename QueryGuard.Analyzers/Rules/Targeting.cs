using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using QueryGuard.Configuration;
using QueryGuard.Model;

namespace QueryGuard.Rules;

internal enum TargetingKind
{
    /// <summary>An equality on every shard-key field: one shard, and what upserts and findAndModify need.</summary>
    Exact,

    /// <summary>mongos can bound the shard key (a prefix equality, <c>$in</c>, a range on a ranged key).</summary>
    Targeted,

    /// <summary>Every shard.</summary>
    Broadcast,

    /// <summary>The filter matches no document; mongos picks one shard.</summary>
    MatchesNothing,

    /// <summary>Part of the filter cannot be seen: QueryGuard does not guess.</summary>
    Unknown,
}

internal enum BroadcastReason
{
    None,
    NoKeyCondition,
    NonTargetingOperator,
    HashedKeyRange,
    MissingLeadingField,
    OrBranchWithoutKey,
    Text,
}

/// <summary>How an operation's filter reaches the shards of a collection with a given shard key.</summary>
internal sealed record TargetingResult(TargetingKind Kind, BroadcastReason Reason = BroadcastReason.None, string Detail = "", bool SeveralShards = false)
{
    public static TargetingResult Unknown { get; } = new(TargetingKind.Unknown);

    public static TargetingResult Nothing { get; } = new(TargetingKind.MatchesNothing);

    public bool IsTargeted => Kind is TargetingKind.Exact or TargetingKind.Targeted;
}

/// <summary>
/// The router's targeting rules (reference §1.1-1.3) over the filter model: equality on every key field is the
/// exact-key fast path; otherwise the key behaves like an index whose leading field must be bounded. Hashed fields
/// are bounded only by equality and <c>$in</c>; negations, <c>$exists</c> and unanchored regexes never bound;
/// <c>$or</c> targets only if every branch does; <c>$text</c> forces a broadcast unless the key is exact.
/// </summary>
internal static class Targeting
{
    private enum Bound
    {
        None,
        NonTargeting,
        Range,
        In,
        Eq,
    }

    public static TargetingResult Analyze(FilterNode filter, ShardKey key)
    {
        switch (filter)
        {
            case UnknownFilter:
                return TargetingResult.Unknown;
            case NothingFilter:
                return TargetingResult.Nothing;
            case EmptyFilter:
                return new TargetingResult(TargetingKind.Broadcast, BroadcastReason.NoKeyCondition);
            case OrFilter or:
                return AnalyzeOr(or.Operands.Select(o => Analyze(o, key)).ToList());
            case ChoiceFilter choice:
                // Broadcast on any path is a broadcast; an unseen path is silence.
                var paths = choice.Paths.Select(p => Analyze(p.Filter, key)).ToList();
                if (paths.Any(p => p.Kind == TargetingKind.Unknown))
                {
                    return TargetingResult.Unknown;
                }

                return paths.FirstOrDefault(p => p.Kind == TargetingKind.Broadcast)
                    ?? paths.FirstOrDefault(p => p.Kind == TargetingKind.Targeted)
                    ?? paths.FirstOrDefault(p => p.Kind == TargetingKind.Exact)
                    ?? TargetingResult.Nothing;
            default:
                return AnalyzeConjunction(filter is AndFilter and ? and.Operands : ImmutableArray.Create(filter), key);
        }
    }

    private static TargetingResult AnalyzeOr(IReadOnlyList<TargetingResult> branches)
    {
        if (branches.Any(b => b.Kind == TargetingKind.Unknown))
        {
            return TargetingResult.Unknown;
        }

        var live = branches.Where(b => b.Kind != TargetingKind.MatchesNothing).ToList();
        var broadcast = live.Where(b => b.Kind == TargetingKind.Broadcast).ToList();
        if (broadcast.Count == 0)
        {
            // mongos unions the branches' shards.
            return live.Count == 1 ? live[0] : new TargetingResult(TargetingKind.Targeted, SeveralShards: true);
        }

        if (broadcast.Count == live.Count && broadcast.All(b => b.Reason == BroadcastReason.NoKeyCondition))
        {
            return broadcast[0];
        }

        return new TargetingResult(TargetingKind.Broadcast, BroadcastReason.OrBranchWithoutKey);
    }

    private static TargetingResult AnalyzeConjunction(ImmutableArray<FilterNode> conjuncts, ShardKey key)
    {
        var bounds = new Bound[key.Fields.Length];
        var operators = new string?[key.Fields.Length];
        var severalValues = new bool[key.Fields.Length];
        var hasText = false;
        var unseen = false;
        var boundedByOr = false;
        var orSeveral = false;

        foreach (var conjunct in conjuncts)
        {
            switch (conjunct)
            {
                case TextFilter:
                    hasText = true;
                    continue;
                case ClientCondition:
                    continue;
                case UnknownFilter:
                    unseen = true;
                    continue;
                case OrFilter or ChoiceFilter:
                    var nested = Analyze(conjunct, key);
                    if (nested.Kind == TargetingKind.Unknown)
                    {
                        unseen = true;
                    }
                    else if (nested.IsTargeted)
                    {
                        // {k: a, $or: [...]} and {$or: [{k: a}, {k: b}], x: 1} both bound the key.
                        boundedByOr = true;
                        orSeveral |= nested.SeveralShards;
                    }

                    continue;
                case NotFilter not:
                    for (var i = 0; i < key.Fields.Length; i++)
                    {
                        if (Mentions(not.Operand, key.Fields[i].Path))
                        {
                            Merge(i, Bound.NonTargeting, "$not", false);
                        }
                    }

                    continue;
            }

            var (path, bound, op, several) = Classify(conjunct);
            if (path is null)
            {
                // A condition on a field QueryGuard could not name might be on the key.
                unseen = true;
                continue;
            }

            for (var i = 0; i < key.Fields.Length; i++)
            {
                if (key.Fields[i].Path == path)
                {
                    Merge(i, bound, op, several);
                }
            }
        }

        if (bounds.All(b => b == Bound.Eq))
        {
            // The exact-key fast path: one shard, even with $text.
            return new TargetingResult(TargetingKind.Exact);
        }

        var leading = key.Leading;
        TargetingResult result;
        if (hasText)
        {
            result = new TargetingResult(TargetingKind.Broadcast, BroadcastReason.Text, "$text cannot target a shard without an equality on every shard-key field");
        }
        else if (bounds[0] is Bound.Eq or Bound.In)
        {
            result = new TargetingResult(TargetingKind.Targeted, SeveralShards: severalValues[0]);
        }
        else if (bounds[0] == Bound.Range && !leading.Hashed)
        {
            result = new TargetingResult(TargetingKind.Targeted, SeveralShards: true);
        }
        else if (boundedByOr)
        {
            result = new TargetingResult(TargetingKind.Targeted, SeveralShards: orSeveral);
        }
        else if (bounds[0] == Bound.Range)
        {
            // Hashed keys target only on equality and $in: a range or regex spans every chunk.
            result = new TargetingResult(TargetingKind.Broadcast, BroadcastReason.HashedKeyRange, $"'{leading.Path}' is a hashed shard key, which {operators[0]} cannot target");
        }
        else if (bounds[0] == Bound.NonTargeting)
        {
            result = new TargetingResult(TargetingKind.Broadcast, BroadcastReason.NonTargetingOperator, $"the shard key '{leading.Path}' is only used with {operators[0]}, which cannot target a shard");
        }
        else if (bounds.Skip(1).Any(b => b != Bound.None))
        {
            result = new TargetingResult(TargetingKind.Broadcast, BroadcastReason.MissingLeadingField, $"the filter has no condition on '{leading.Path}', the leading field of the shard key {key.Display}");
        }
        else
        {
            result = new TargetingResult(TargetingKind.Broadcast, BroadcastReason.NoKeyCondition);
        }

        // An unseen part of the filter may hold the missing key condition.
        return result.Kind == TargetingKind.Broadcast && unseen ? TargetingResult.Unknown : result;

        void Merge(int index, Bound bound, string? op, bool several)
        {
            if (bound > bounds[index] || (bound == bounds[index] && bound == Bound.In && !several))
            {
                bounds[index] = bound;
                operators[index] = op;
                severalValues[index] = several;
            }
        }
    }

    /// <summary>How one field condition bounds its field.</summary>
    private static (string? Path, Bound Bound, string? Operator, bool Several) Classify(FilterNode node) => node switch
    {
        EqFilter eq => (eq.Path, Bound.Eq, "equality", false),
        // The server rewrites a one-element $in as an equality.
        InFilter { Values.Size: ListSize.One } one => (one.Path, Bound.Eq, "equality", false),
        InFilter @in => (@in.Path, Bound.In, "$in", true),
        RangeFilter range => (range.Path, Bound.Range, "a range (" + range.Operator + ")", true),
        RegexFilter { Anchored: true } prefix => (prefix.Path, Bound.Range, "a regex", true),
        RegexFilter regex => (regex.Path, Bound.NonTargeting, "an unanchored regex", false),
        NegFilter neg => (neg.Path, Bound.NonTargeting, neg.Operator, false),
        ExistsFilter exists => (exists.Path, Bound.NonTargeting, "$exists", false),
        TypeFilter type => (type.Path, Bound.NonTargeting, "$type", false),
        FieldFilter field => (field.Path, Bound.NonTargeting, field.Operator, false),
        _ => (null, Bound.None, null, false),
    };

    /// <summary>True when some condition under <paramref name="node"/> is on <paramref name="path"/> (or an unnamed field).</summary>
    internal static bool Mentions(FilterNode node, string path) => node switch
    {
        AndFilter and => and.Operands.Any(o => Mentions(o, path)),
        OrFilter or => or.Operands.Any(o => Mentions(o, path)),
        NotFilter not => Mentions(not.Operand, path),
        ChoiceFilter choice => choice.Paths.Any(p => Mentions(p.Filter, path)),
        _ => Classify(node) is var (p, bound, _, _) && bound != Bound.None && (p is null || p == path),
    };

    /// <summary>
    /// Whether the filter has an equality (or <c>$in</c>) on <paramref name="path"/> on every path: true, false, or
    /// null when an unseen part of the filter might have it.
    /// </summary>
    public static bool? Pins(FilterNode filter, string path)
    {
        switch (filter)
        {
            case UnknownFilter:
                return null;
            case NothingFilter:
                return true;
            case EqFilter eq:
                return eq.Path is null ? null : eq.Path == path;
            case InFilter @in:
                return @in.Path is null ? null : @in.Path == path;
            case OrFilter or:
                return All(or.Operands.Select(o => Pins(o, path)));
            case ChoiceFilter choice:
                return All(choice.Paths.Select(p => Pins(p.Filter, path)));
            case AndFilter and:
                var results = and.Operands.Select(o => Pins(o, path)).ToList();
                return results.Any(r => r == true) ? true : results.Any(r => r is null) ? null : false;
            default:
                return Classify(filter).Path is null && filter is not (EmptyFilter or TextFilter or ClientCondition or NotFilter) ? null : false;
        }

        static bool? All(IEnumerable<bool?> results)
        {
            var list = results.ToList();
            return list.All(r => r == true) ? true : list.Any(r => r == false) ? false : null;
        }
    }
}
