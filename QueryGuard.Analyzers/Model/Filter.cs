using System.Collections.Generic;
using System.Collections.Immutable;

namespace QueryGuard.Model;

/// <summary>
/// Smart constructors for <see cref="FilterNode"/> that apply the driver's rendering rules (reference §2.9, §4.1),
/// so rules see what the server will see.
/// </summary>
public static class Filter
{
    public static FilterNode Empty => EmptyFilter.Instance;

    public static FilterNode Nothing => NothingFilter.Instance;

    public static FilterNode Eq(string? path, FilterValue value) => new EqFilter(path, value);

    public static FilterNode In(string? path, FilterList values) =>
        // {$in: []} matches no document.
        values.Size == ListSize.Empty ? Nothing : new InFilter(path, values);

    public static FilterNode Ne(string? path, FilterValue value) => new NegFilter(path, "$ne", Value: value);

    public static FilterNode Nin(string? path, FilterList values) => new NegFilter(path, "$nin", Values: values);

    /// <summary>
    /// <c>And</c> flattens, and drops empty operands (<c>Empty &amp; x</c> renders <c>x</c>); one operand that
    /// matches nothing makes the whole conjunction match nothing.
    /// </summary>
    public static FilterNode And(IEnumerable<FilterNode> operands) => Combine(operands, isAnd: true);

    /// <summary>The common two-operand case (<c>a &amp; b</c>), without an enumerator.</summary>
    public static FilterNode And(FilterNode left, FilterNode right) => Combine(left, right, isAnd: true);

    public static FilterNode And(params FilterNode[] operands) => Combine(operands, isAnd: true);

    /// <summary>
    /// <c>Or</c> keeps empty operands literally (<c>{$or: [{}, x]}</c>), which matches every document; branches that
    /// match nothing add nothing.
    /// </summary>
    public static FilterNode Or(IEnumerable<FilterNode> operands) => Combine(operands, isAnd: false);

    /// <summary>The common two-operand case (<c>a | b</c>), without an enumerator.</summary>
    public static FilterNode Or(FilterNode left, FilterNode right) => Combine(left, right, isAnd: false);

    public static FilterNode Or(params FilterNode[] operands) => Combine(operands, isAnd: false);

    private static FilterNode Combine(IEnumerable<FilterNode> operands, bool isAnd)
    {
        var result = ImmutableArray.CreateBuilder<FilterNode>(operands is ICollection<FilterNode> known ? known.Count : 4);
        foreach (var operand in operands)
        {
            if (!Add(result, operand, isAnd))
            {
                return isAnd ? Nothing : Empty;
            }
        }

        return Result(result, isAnd);
    }

    private static FilterNode Combine(FilterNode left, FilterNode right, bool isAnd)
    {
        var result = ImmutableArray.CreateBuilder<FilterNode>(2);
        return Add(result, left, isAnd) && Add(result, right, isAnd) ? Result(result, isAnd) : isAnd ? Nothing : Empty;
    }

    /// <summary>
    /// Adds one operand; false when it decides the whole result: an operand that matches nothing makes a conjunction
    /// match nothing, one that matches everything makes a disjunction match everything. The other one of the two adds
    /// nothing, and a nested operand of the same kind is flattened.
    /// </summary>
    private static bool Add(ImmutableArray<FilterNode>.Builder result, FilterNode operand, bool isAnd)
    {
        switch (operand)
        {
            case EmptyFilter:
            case ClientCondition { Value: true }:
                return isAnd;
            case NothingFilter:
            case ClientCondition { Value: false }:
                return !isAnd;
            case AndFilter nested when isAnd:
                result.AddRange(nested.Operands);
                return true;
            case OrFilter nested when !isAnd:
                result.AddRange(nested.Operands);
                return true;
            default:
                result.Add(operand);
                return true;
        }
    }

    private static FilterNode Result(ImmutableArray<FilterNode>.Builder result, bool isAnd)
    {
        if (result.Count <= 1)
        {
            return result.Count == 1 ? result[0] : isAnd ? Empty : Nothing;
        }

        var operands = result.Count == result.Capacity ? result.MoveToImmutable() : result.ToImmutable();
        return isAnd ? new AndFilter(operands) : new OrFilter(operands);
    }

    /// <summary>
    /// <c>Not</c> rewrites single-field operators the way the driver renders them: <c>!Eq</c> is <c>$ne</c>,
    /// <c>!Ne</c> is an equality again, <c>!In</c> is <c>$nin</c>, <c>!Nin</c> is <c>$in</c>,
    /// <c>!Exists(b)</c> is <c>Exists(!b)</c>, <c>!Empty</c> matches nothing.
    /// </summary>
    public static FilterNode Not(FilterNode operand) => operand switch
    {
        EmptyFilter => Nothing,
        NothingFilter => Empty,
        ClientCondition client => new ClientCondition("!(" + client.Text + ")", client.Value is { } v ? !v : null),
        EqFilter eq => new NegFilter(eq.Path, "$ne", Value: eq.Value),
        NegFilter { Operator: "$ne", Value: { } value } ne => new EqFilter(ne.Path, value),
        InFilter @in => new NegFilter(@in.Path, "$nin", Values: @in.Values),
        NegFilter { Operator: "$nin", Values: { } values } nin => In(nin.Path, values),
        ExistsFilter exists => new ExistsFilter(exists.Path, !exists.Exists),
        RangeFilter range => new NegFilter(range.Path, "$not"),
        RegexFilter regex => new NegFilter(regex.Path, "$not"),
        FieldFilter field => new NegFilter(field.Path, "$not"),
        TypeFilter type => new NegFilter(type.Path, "$not"),
        NotFilter not => not.Operand,
        ChoiceFilter choice => Choice(ImmutableArray.CreateRange(choice.Paths, p => new FilterPath(p.Condition, Not(p.Filter)))),
        UnknownFilter unknown => unknown,
        _ => new NotFilter(operand),
    };

    /// <summary>One of several filters by code path; identical alternatives collapse.</summary>
    public static FilterNode Choice(ImmutableArray<FilterPath> paths)
    {
        if (paths.Length == 0)
        {
            return Unknown("no path reaches the operation");
        }

        var first = paths[0].Filter;
        foreach (var path in paths)
        {
            if (!Equals(path.Filter, first))
            {
                return new ChoiceFilter(paths);
            }
        }

        return first;
    }

    public static FilterNode Unknown(string reason) => new UnknownFilter(reason);

    internal static string PathText(string? path) => path ?? "?";
}
