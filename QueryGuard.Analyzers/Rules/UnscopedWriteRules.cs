using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using QueryGuard.Driver;
using QueryGuard.Model;

namespace QueryGuard.Rules;

/// <summary>
/// QG1001, QG1003, QG1004, QG1005: updates, deletes, replaces and find-and-modifies that reach more documents
/// than meant. Plain functions over the filter model; the model already applies the driver's rewrites
/// (<c>Empty &amp; x</c> is <c>x</c>, <c>Or(Empty, x)</c> is <c>Empty</c>, <c>!Ne</c> is an equality, <c>In(f, [])</c>
/// matches nothing), so the rules read the filter the way the server will.
/// QG1002 (empty on some path) is another rule's job: these rules stay silent on <see cref="ChoiceFilter"/> and on
/// client-side conditions whose value is unknown.
/// </summary>
internal static class UnscopedWriteRules
{
    /// <summary>Diagnostic property: the stored field QG1004 is about.</summary>
    public const string FieldProperty = "Field";

    /// <summary>Diagnostic property: the source text of the value that may be null (QG1004).</summary>
    public const string ValueProperty = "Value";

    /// <summary>Diagnostic property: the stored fields that identify a document (QG1001/QG1005), comma-separated.</summary>
    public const string KeysProperty = "Keys";

    /// <summary>Diagnostic properties (QG1001): the declared scope key's stored name and the member stored under it.</summary>
    public const string ScopeKeyProperty = "ScopeKey";

    public const string ScopeMemberProperty = "ScopeMember";

    /// <summary>
    /// The field whose equality always identifies one document. QG1005 adds the collection's declared unique keys
    /// and full shard key (<see cref="IdentityKeySets"/>).
    /// </summary>
    public static ImmutableArray<string> IdentityKeys { get; } = ImmutableArray.Create("_id");

    public static IEnumerable<Diagnostic> Evaluate(OperationFacts facts) => Evaluate(facts, IdentityKeys);

    public static IEnumerable<Diagnostic> Evaluate(OperationFacts facts, ImmutableArray<string> identityKeys)
    {
        if (!facts.Operation.Kind.IsWrite())
        {
            return Enumerable.Empty<Diagnostic>();
        }

        var findings = new List<Diagnostic>();
        var filter = EffectiveFilter(facts);
        var unscoped = MatchesEveryDocument(facts, filter, identityKeys) ?? OnlyExcludes(facts, filter);
        if (unscoped is not null)
        {
            findings.Add(unscoped);
        }

        findings.AddRange(ComparesWithNull(facts, filter));

        // An unscoped write already says more than "does not identify a document".
        if (unscoped is null && DoesNotIdentifyDocument(facts, filter, identityKeys) is { } arbitrary)
        {
            findings.Add(arbitrary);
        }

        return findings;
    }

    /// <summary>
    /// <c>coll.OfType&lt;T&gt;()</c> returns a filtered collection that ANDs a discriminator test into every
    /// operation (reference §2.2), so its <c>Empty</c> filter matches one class of documents, not every document.
    /// </summary>
    private static FilterNode EffectiveFilter(OperationFacts facts) =>
        IsFilteredCollection(facts.Operation.Collection?.Type)
            ? Filter.And(new TypeFilter("_t"), facts.Filter)
            : facts.Filter;

    private static bool IsFilteredCollection(ITypeSymbol? type) =>
        type is not null && (IsFilteredCollectionInterface(type) || type.AllInterfaces.Any(IsFilteredCollectionInterface));

    private static bool IsFilteredCollectionInterface(ITypeSymbol type) =>
        type.OriginalDefinition is { Name: "IFilteredMongoCollection" } definition && Driver.DriverSymbols.IsInNamespace(definition, "MongoDB.Driver");

    // ---- QG1001 ------------------------------------------------------------------------------------------

    /// <summary>
    /// QG1001: the filter renders <c>{}</c> (or <c>{$or: [{}, ...]}</c>), which the server matches against every
    /// document: <c>Empty</c>, <c>x =&gt; true</c> (LINQ folds constant true to <c>{}</c>), <c>"{}"</c>,
    /// <c>new BsonDocument()</c>, <c>Empty &amp; Empty</c>, <c>Or(Empty, x)</c>. (<c>$nin: []</c> also matches every
    /// document; QG1003 reports it with the negation it belongs to.)
    /// </summary>
    private static Diagnostic? MatchesEveryDocument(OperationFacts facts, FilterNode filter, ImmutableArray<string> identityKeys)
    {
        if (filter is not EmptyFilter)
        {
            return null;
        }

        // The fix can also target the declared scope key (RULES.md: "_id or the scope key").
        var properties = ImmutableDictionary<string, string?>.Empty.Add(KeysProperty, string.Join(",", identityKeys));
        if (facts.Declaration?.ScopeKey is { } scopeKey && facts.Names?.FindMemberStoredAs(facts.Operation.DocumentType, scopeKey) is { } scopeMember)
        {
            properties = properties.Add(ScopeKeyProperty, scopeKey).Add(ScopeMemberProperty, scopeMember.Name);
        }

        return facts.Create(
            Descriptors.WriteMatchesEveryDocument,
            properties,
            facts.Operation.DisplayName,
            facts.CollectionName,
            EmptyReason(facts.Operation.Filter));
    }

    /// <summary>Why the filter is empty, in the words of the form the user wrote.</summary>
    private static string EmptyReason(IOperation? filter)
    {
        if (filter is null)
        {
            return "the filter is empty";
        }

        var operation = FilterModelBuilder.Unwrap(filter);
        if (operation is IConversionOperation { OperatorMethod: not null } conversion)
        {
            operation = FilterModelBuilder.Unwrap(conversion.Operand);
        }

        var hasOr = operation.DescendantsAndSelf().Any(IsOr);
        if (operation is IAnonymousFunctionOperation or IDelegateCreationOperation
            || operation is IInvocationOperation { TargetMethod.Name: "Where" } where && IsFilterBuilderMethod(where.TargetMethod))
        {
            return "the predicate is always true";
        }

        if (operation.ConstantValue is { HasValue: true, Value: string json })
        {
            return json.Contains("$or") ? "an $or branch is empty" : "the filter document is empty";
        }

        if (operation.Type is { Name: "BsonDocument" or "BsonDocumentFilterDefinition" or "JsonFilterDefinition" }
            || operation is IInvocationOperation { TargetMethod.Name: "Parse" })
        {
            return operation.Syntax.ToString().Contains("$or") ? "an $or branch is empty" : "the filter document is empty";
        }

        return hasOr ? "an Or branch is empty" : "the filter is empty";
    }

    private static bool IsOr(IOperation operation) => operation switch
    {
        IInvocationOperation { TargetMethod.Name: "Or" } or => IsFilterBuilderMethod(or.TargetMethod),
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Or, OperatorMethod: { } method } => method.ContainingType.Name == "FilterDefinition",
        _ => false,
    };

    private static bool IsFilterBuilderMethod(IMethodSymbol method) => method.ContainingType.Name == "FilterDefinitionBuilder";

    // ---- QG1003 ------------------------------------------------------------------------------------------

    private enum Scope
    {
        /// <summary>Some condition selects documents (equality, <c>$in</c>, a range, a regex...).</summary>
        Narrows,

        /// <summary>Every condition is a negation or an existence test.</summary>
        OnlyExcludes,

        /// <summary>Part of the filter cannot be seen, or depends on the code path: no guess.</summary>
        Unknown,
    }

    /// <summary>
    /// QG1003: every condition is a negation or an existence test (<c>$ne</c>, <c>$nin</c>, <c>$not</c>, <c>$nor</c>,
    /// <c>$exists</c>, <c>$type</c>, an OfType discriminator). The server matches every document the condition does
    /// not exclude, which is nearly all of them (<c>x =&gt; !x.Deleted</c> is <c>{deleted: {$ne: true}}</c>). In an Or,
    /// one such branch widens the whole write. <c>$nin</c> over an empty list matches every document.
    /// </summary>
    private static Diagnostic? OnlyExcludes(OperationFacts facts, FilterNode filter)
    {
        var exclusions = new List<FilterNode>();
        var inOrBranch = false;
        Scope scope;
        if (filter is OrFilter or)
        {
            scope = ClassifyOr(or, exclusions);
            inOrBranch = true;
        }
        else
        {
            scope = Classify(filter, exclusions);
        }

        if (scope != Scope.OnlyExcludes || exclusions.Count == 0)
        {
            return null;
        }

        var conditions = string.Join(", ", exclusions.Select(DescribeExclusion));
        var reason = inOrBranch
            ? "a branch of the Or only excludes documents (" + conditions + ")"
            : exclusions.Count == 1 && exclusions[0] is TypeFilter { Path: "_t" }
                ? "the only condition is the OfType discriminator"
                : "every condition is a negation or an existence test (" + conditions + ")";

        foreach (var nin in exclusions.OfType<NegFilter>().Where(n => n.Operator == "$nin" && n.Values is not null))
        {
            if (nin.Values!.Size == ListSize.Empty)
            {
                reason += "; $nin over an empty list matches every document";
            }
            else if (nin.Values.Size == ListSize.Unknown)
            {
                reason += $"; $nin over '{nin.Values.Text}' matches every document when '{nin.Values.Text}' is empty";
            }
        }

        return facts.Create(Descriptors.WriteFilterOnlyExcludes, facts.Operation.DisplayName, facts.CollectionName, reason);
    }

    private static Scope Classify(FilterNode node, List<FilterNode> exclusions)
    {
        switch (node)
        {
            case NegFilter or ExistsFilter or TypeFilter or NotFilter:
                exclusions.Add(node);
                return Scope.OnlyExcludes;

            case EqFilter or InFilter or RangeFilter or RegexFilter or TextFilter or FieldFilter or NothingFilter:
                return Scope.Narrows;

            case AndFilter and:
                var own = new List<FilterNode>();
                var sawUnknown = false;
                foreach (var operand in and.Operands)
                {
                    if (operand is ClientCondition)
                    {
                        // true drops out, false matches nothing: either way it adds no selecting condition.
                        continue;
                    }

                    var scope = Classify(operand, own);
                    if (scope == Scope.Narrows)
                    {
                        return Scope.Narrows;
                    }

                    sawUnknown |= scope == Scope.Unknown;
                }

                if (sawUnknown || own.Count == 0)
                {
                    return Scope.Unknown;
                }

                exclusions.AddRange(own);
                return Scope.OnlyExcludes;

            case OrFilter or:
                return ClassifyOr(or, exclusions);

            default:
                // Empty (QG1001's), ChoiceFilter and client conditions (QG1002's), UnknownFilter.
                return Scope.Unknown;
        }
    }

    /// <summary>mongos and the server union the branches of <c>$or</c>: one branch that only excludes widens the write.</summary>
    private static Scope ClassifyOr(OrFilter or, List<FilterNode> exclusions)
    {
        var branches = new List<(Scope Scope, List<FilterNode> Exclusions)>();
        foreach (var branch in or.Operands)
        {
            var own = new List<FilterNode>();
            var scope = branch is ClientCondition ? Scope.Unknown : Classify(branch, own);
            if (scope == Scope.Unknown)
            {
                // A branch QueryGuard cannot see (or a client-side condition: QG1002's shape) could be anything.
                return Scope.Unknown;
            }

            branches.Add((scope, own));
        }

        var excluding = branches.FirstOrDefault(b => b.Scope == Scope.OnlyExcludes);
        if (excluding.Exclusions is null)
        {
            return Scope.Narrows;
        }

        exclusions.AddRange(excluding.Exclusions);
        return Scope.OnlyExcludes;
    }

    private static string DescribeExclusion(FilterNode node) => node switch
    {
        NegFilter neg => $"{OperatorText(neg.Operator)} on {FieldText(neg.Path)}",
        ExistsFilter exists => $"$exists: {(exists.Exists ? "true" : "false")} on {FieldText(exists.Path)}",
        TypeFilter { Path: "_t" } => "the OfType discriminator",
        TypeFilter type => $"$type on {FieldText(type.Path)}",
        _ => "a negated filter",
    };

    /// <summary>The builder's <c>AnyNe</c>/<c>AnyNin</c>/<c>StringNin</c> are recorded by name; operators keep their <c>$</c>.</summary>
    private static string OperatorText(string op) =>
        op.Length > 1 && op[0] == '$' && char.IsUpper(op[1]) ? op.Substring(1) : op;

    private static string FieldText(string? path) => path is null ? "a field" : "'" + path + "'";

    // ---- QG1004 ------------------------------------------------------------------------------------------

    /// <summary>
    /// QG1004: an equality (or an <c>$in</c> item) compares a field with a value that may be null. The server's
    /// <c>{f: null}</c> matches documents where f is null <em>or missing</em>, so a null that slipped through widens
    /// the write to every document without the field.
    /// Decisions:
    /// - A literal <c>null</c> written as the compared value (<c>x =&gt; x.DeletedAt == null</c>, <c>Eq(f, null)</c>,
    ///   <c>{deletedAt: null}</c>) is a deliberate "null or missing" query: silent. <c>default</c>, a null constant,
    ///   and values whose nullable flow state is maybe-null are reported.
    /// - <c>_id</c> is never missing, so a null <c>_id</c> cannot widen a write: silent.
    /// - Negated conditions (<c>$ne: null</c>, inside <c>Not</c>) exclude; they are not equalities.
    /// - A null <em>list</em> is not a null value (it does not render <c>$in: [null]</c>): only items are checked.
    /// </summary>
    private static IEnumerable<Diagnostic> ComparesWithNull(OperationFacts facts, FilterNode filter)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, value) in NullableEqualities(filter))
        {
            if (!seen.Add(path + "\u0000" + value.Text))
            {
                continue;
            }

            yield return facts.Create(
                Descriptors.WriteComparesWithNull,
                ImmutableDictionary<string, string?>.Empty.Add(FieldProperty, path).Add(ValueProperty, value.Text),
                facts.Operation.DisplayName,
                facts.CollectionName,
                path,
                value.Text);
        }
    }

    private static IEnumerable<(string Path, FilterValue Value)> NullableEqualities(FilterNode node)
    {
        switch (node)
        {
            case EqFilter { Path: { } path, Value: var value } when MayWiden(path, value):
                yield return (path, value);
                break;
            case InFilter { Path: { } path, Values.NullableItem: { } item } when MayWiden(path, item):
                yield return (path, item);
                break;
            case AndFilter and:
                foreach (var found in and.Operands.SelectMany(NullableEqualities))
                {
                    yield return found;
                }

                break;
            case OrFilter or:
                foreach (var found in or.Operands.SelectMany(NullableEqualities))
                {
                    yield return found;
                }

                break;
            case ChoiceFilter choice:
                foreach (var found in choice.Paths.SelectMany(p => NullableEqualities(p.Filter)))
                {
                    yield return found;
                }

                break;
        }
    }

    private static bool MayWiden(string path, FilterValue value) =>
        path != "_id"
        && value.Nullness switch
        {
            Nullness.MaybeNull => true,
            Nullness.Null => value.Text != "null",
            _ => false,
        };

    // ---- QG1005 ------------------------------------------------------------------------------------------

    /// <summary>
    /// QG1005: <c>updateOne</c>, <c>replaceOne</c>, <c>deleteOne</c> and <c>findAndModify</c> change the first
    /// document the server finds. Without an equality on <c>_id</c> (or a one-value <c>$in</c>) among the top-level
    /// conditions, which document that is depends on the plan and the storage order. A <c>Sort</c> in the options
    /// makes the choice deliberate (a queue's "take the oldest"), so it is not reported.
    /// </summary>
    private static Diagnostic? DoesNotIdentifyDocument(OperationFacts facts, FilterNode filter, ImmutableArray<string> identityKeys)
    {
        if (!facts.Operation.Kind.IsSingleDocumentWrite() || HasSort(facts.Operation.Operation))
        {
            return null;
        }

        // A declared unique key or the full shard key identifies a document as well as _id does (RULES.md).
        var keySets = IdentityKeySets(facts, identityKeys);
        if (IdentifiesBy(filter, keySets) != false)
        {
            return null;
        }

        return facts.Create(
            Descriptors.SingleWriteDoesNotIdentifyDocument,
            ImmutableDictionary<string, string?>.Empty.Add(KeysProperty, string.Join(",", identityKeys)),
            facts.Operation.DisplayName,
            facts.CollectionName,
            string.Join(" or ", keySets.Select(set => set.Length == 1 ? "'" + set[0] + "'" : "{ " + string.Join(", ", set) + " }")));
    }

    /// <summary>Each set of fields whose equalities together identify one document: _id, unique keys, the full shard key.</summary>
    private static ImmutableArray<ImmutableArray<string>> IdentityKeySets(OperationFacts facts, ImmutableArray<string> identityKeys)
    {
        var sets = ImmutableArray.CreateBuilder<ImmutableArray<string>>();
        sets.AddRange(identityKeys.Select(k => ImmutableArray.Create(k)));
        if (facts.Declaration is { } declaration)
        {
            sets.AddRange(declaration.UniqueKeys.Where(k => !k.IsDefaultOrEmpty));
            if (declaration.ShardKey is { } shardKey && !(shardKey.Fields.Length == 1 && identityKeys.Contains(shardKey.Fields[0].Path)))
            {
                sets.Add(ImmutableArray.CreateRange(shardKey.Fields, f => f.Path));
            }
        }

        return sets.ToImmutable();
    }

    /// <summary>True when every field of some key set has an equality; null when an unseen part might decide it.</summary>
    private static bool? IdentifiesBy(FilterNode filter, ImmutableArray<ImmutableArray<string>> keySets)
    {
        var unknown = false;
        foreach (var set in keySets)
        {
            var results = set.Select(field => Identifies(filter, ImmutableArray.Create(field))).ToList();
            if (results.All(r => r == true))
            {
                return true;
            }

            unknown |= results.All(r => r != false);
        }

        return unknown ? null : false;
    }

    /// <summary>True when a top-level conjunct pins an identity key; null when QueryGuard cannot tell.</summary>
    private static bool? Identifies(FilterNode node, ImmutableArray<string> keys)
    {
        switch (node)
        {
            case EqFilter { Path: { } path } when keys.Contains(path):
            case InFilter { Path: { } inPath, Values.Size: ListSize.One } when keys.Contains(inPath):
            case NothingFilter:
                return true;

            case AndFilter and:
                var unknown = false;
                foreach (var operand in and.Operands)
                {
                    var identifies = Identifies(operand, keys);
                    if (identifies == true)
                    {
                        return true;
                    }

                    unknown |= identifies is null;
                }

                return unknown ? null : false;

            case OrFilter or:
                return or.Operands.Any(o => o is UnknownFilter or ChoiceFilter or ClientCondition) ? null : false;

            case ChoiceFilter choice:
                // Reported only when no path identifies a document; a mix depends on the path: no guess.
                var results = choice.Paths.Select(p => Identifies(p.Filter, keys)).ToList();
                return results.All(r => r == false) ? false : results.All(r => r == true) ? true : null;

            case UnknownFilter or ClientCondition or EmptyFilter:
                return null;

            default:
                return false;
        }
    }

    /// <summary><c>new FindOneAndUpdateOptions&lt;T&gt; { Sort = ... }</c>, <c>UpdateOptions&lt;T&gt;.Sort</c>, a model's <c>Sort</c>, a <c>sort:</c> argument.</summary>
    private static bool HasSort(IOperation operation)
    {
        var arguments = operation switch
        {
            IInvocationOperation invocation => invocation.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            _ => ImmutableArray<IArgumentOperation>.Empty,
        };

        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            if (argument.Parameter?.Name == "sort" && FilterModelBuilder.Unwrap(argument.Value).ConstantValue is not { HasValue: true, Value: null })
            {
                return true;
            }

            if (argument.Parameter?.Name == "options" && FilterModelBuilder.Unwrap(argument.Value) is IObjectCreationOperation options && AssignsSort(options.Initializer))
            {
                return true;
            }
        }

        return operation is IObjectCreationOperation model && AssignsSort(model.Initializer);
    }

    private static bool AssignsSort(IObjectOrCollectionInitializerOperation? initializer) =>
        initializer is not null && initializer.Initializers.Any(i => i is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Sort" } });
}
