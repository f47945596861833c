using System;
using System.Collections.Immutable;
using System.Linq;

namespace QueryGuard.Model;

/// <summary>How sure QueryGuard is that a compared value is null.</summary>
public enum Nullness
{
    /// <summary>Not null, or nothing is known (nullable analysis off): QueryGuard does not guess.</summary>
    NotNull,

    /// <summary>The compiler's nullable flow state says maybe-null.</summary>
    MaybeNull,

    /// <summary>A <c>null</c> or <c>default</c> literal.</summary>
    Null,
}

/// <summary>What is known about the size of a list given to <c>$in</c> / <c>$nin</c>.</summary>
public enum ListSize
{
    Unknown,
    Empty,
    One,
    Several,
}

/// <summary>
/// A value the filter compares a field with. <see cref="Text"/> is the source text, for messages and fixes.
/// <see cref="Nullness"/> may be computed on first use: asking the compiler for a value's nullable flow state
/// runs nullable analysis over the whole method, and only QG1004 on writes needs it.
/// </summary>
public sealed class FilterValue : IEquatable<FilterValue>
{
    private readonly Nullness _known;
    private readonly Lazy<Nullness>? _deferred;

    public FilterValue(string text, Nullness nullness = Nullness.NotNull)
    {
        Text = text;
        _known = nullness;
    }

    public FilterValue(string text, Func<Nullness> nullness)
    {
        Text = text;
        _deferred = new Lazy<Nullness>(nullness, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public static FilterValue Opaque { get; } = new("value");

    public string Text { get; }

    public Nullness Nullness => _deferred?.Value ?? _known;

    public bool Equals(FilterValue? other) => other is not null && Text == other.Text && Nullness == other.Nullness;

    public override bool Equals(object? obj) => Equals(obj as FilterValue);

    public override int GetHashCode() => Text.GetHashCode();

    public override string ToString() => Text;
}

/// <summary>
/// A list of values for <c>$in</c>/<c>$nin</c>. <see cref="Nullness"/> is the list reference's own nullness;
/// <see cref="NullableItem"/> is the first item written out in the list (an array or collection initialiser)
/// whose value may be null: <c>{$in: [null]}</c> also matches documents missing the field.
/// </summary>
public sealed record FilterList(string Text, ListSize Size, Nullness Nullness = Nullness.NotNull, FilterValue? NullableItem = null)
{
    public static FilterList FromCount(string text, int count) =>
        new(text, count switch { 0 => ListSize.Empty, 1 => ListSize.One, _ => ListSize.Several });
}

/// <summary>
/// The small filter model every rule reads (reference §4.5): a tree over stored (BSON) field paths. A null
/// <c>Path</c> means "some field QueryGuard could not name"; rules treat it as a condition on an unknown field
/// and never guess that it is (or is not) the shard key.
/// Build nodes through <see cref="Filter"/>, which applies the driver's own rewrites.
/// </summary>
public abstract record FilterNode
{
    public abstract override string ToString();
}

/// <summary>Matches every document: <c>{}</c>.</summary>
public sealed record EmptyFilter : FilterNode
{
    public static EmptyFilter Instance { get; } = new();

    public override string ToString() => "Empty";
}

/// <summary>Matches no document: <c>$in: []</c>, <c>x =&gt; false</c>, <c>!Empty</c>.</summary>
public sealed record NothingFilter : FilterNode
{
    public static NothingFilter Instance { get; } = new();

    public override string ToString() => "Nothing";
}

/// <summary><c>{path: value}</c> or <c>{path: {$eq: value}}</c>.</summary>
public sealed record EqFilter(string? Path, FilterValue Value) : FilterNode
{
    public override string ToString() => $"Eq({Filter.PathText(Path)})";
}

/// <summary><c>{path: {$in: [...]}}</c>.</summary>
public sealed record InFilter(string? Path, FilterList Values) : FilterNode
{
    public override string ToString() => $"In({Filter.PathText(Path)}, {Values.Size})";
}

/// <summary><c>$gt</c>, <c>$gte</c>, <c>$lt</c>, <c>$lte</c>.</summary>
public sealed record RangeFilter(string? Path, string Operator) : FilterNode
{
    public override string ToString() => $"Range({Filter.PathText(Path)} {Operator})";
}

/// <summary>A regular expression; an anchored one (<c>^abc</c>) bounds a ranged key, any other does not.</summary>
public sealed record RegexFilter(string? Path, bool Anchored) : FilterNode
{
    public override string ToString() => $"Regex({Filter.PathText(Path)}{(Anchored ? ", anchored" : string.Empty)})";
}

/// <summary>A negated field condition: <c>$ne</c>, <c>$nin</c>, or <c>$not</c> of another operator.</summary>
public sealed record NegFilter(string? Path, string Operator, FilterValue? Value = null, FilterList? Values = null) : FilterNode
{
    public override string ToString() => Values is null
        ? $"Neg({Filter.PathText(Path)} {Operator})"
        : $"Neg({Filter.PathText(Path)} {Operator}, {Values.Size})";
}

/// <summary><c>{path: {$exists: bool}}</c>.</summary>
public sealed record ExistsFilter(string? Path, bool Exists) : FilterNode
{
    public override string ToString() => $"Exists({Filter.PathText(Path)}, {(Exists ? "true" : "false")})";
}

/// <summary><c>$type</c> on a field, or a discriminator test (<c>OfType</c>, Path <c>_t</c>).</summary>
public sealed record TypeFilter(string? Path) : FilterNode
{
    public override string ToString() => $"Type({Filter.PathText(Path)})";
}

/// <summary><c>$text</c>: forces a broadcast unless the exact shard key is also given.</summary>
public sealed record TextFilter : FilterNode
{
    public static TextFilter Instance { get; } = new();

    public override string ToString() => "Text";
}

/// <summary>Any other condition that narrows by a field without targeting: <c>$elemMatch</c>, <c>$size</c>, geo, ...</summary>
public sealed record FieldFilter(string? Path, string Operator) : FilterNode
{
    public override string ToString() => $"Field({Filter.PathText(Path)} {Operator})";
}

/// <summary>
/// A sub-expression of a lambda that uses no document field: the driver evaluates it on the client and folds it
/// to a constant (reference §3.4). <see cref="Value"/> is known for literals and null when it depends on runtime values.
/// </summary>
public sealed record ClientCondition(string Text, bool? Value) : FilterNode
{
    public override string ToString() => Value is { } v ? $"Client({Text}={(v ? "true" : "false")})" : $"Client({Text})";
}

public sealed record AndFilter(ImmutableArray<FilterNode> Operands) : FilterNode
{
    public override string ToString() => $"And({string.Join(", ", Operands.Select(o => o.ToString()))})";
}

public sealed record OrFilter(ImmutableArray<FilterNode> Operands) : FilterNode
{
    public override string ToString() => $"Or({string.Join(", ", Operands.Select(o => o.ToString()))})";
}

/// <summary>A negation the driver cannot fold into one field operator (<c>$nor</c>, <c>$not</c> of a compound filter).</summary>
public sealed record NotFilter(FilterNode Operand) : FilterNode
{
    public override string ToString() => $"Not({Operand})";
}

/// <summary>
/// One of several filters, depending on the code path (a ternary, <c>??</c>, a filter built across branches).
/// Each path carries a short description of when it is taken, for messages.
/// </summary>
public sealed record ChoiceFilter(ImmutableArray<FilterPath> Paths) : FilterNode
{
    public override string ToString() => $"Choice({string.Join(", ", Paths.Select(p => p.Filter.ToString()))})";
}

public sealed record FilterPath(string Condition, FilterNode Filter);

/// <summary>QueryGuard cannot see this part of the filter. Rules stay silent rather than guess.</summary>
public sealed record UnknownFilter(string Reason) : FilterNode
{
    public override string ToString() => "Unknown";
}
