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
        // Nodes of helper summaries are shared between callbacks: any thread may compute it, the first result is kept
        // (the computation is deterministic), without a lock.
        _deferred = new Lazy<Nullness>(nullness, System.Threading.LazyThreadSafetyMode.PublicationOnly);
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
/// Each node's text (<see cref="ToString"/>) is computed once: the flow analysis compares alternatives by it over and
/// over. A leaf's text is derived from its other members, so record equality is unchanged; nothing builds a node
/// with <c>with</c>, which would copy the text.
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
    private readonly string _text = $"Eq({Filter.PathText(Path)})";

    public override string ToString() => _text;
}

/// <summary><c>{path: {$in: [...]}}</c>.</summary>
public sealed record InFilter(string? Path, FilterList Values) : FilterNode
{
    private readonly string _text = $"In({Filter.PathText(Path)}, {Values.Size})";

    public override string ToString() => _text;
}

/// <summary><c>$gt</c>, <c>$gte</c>, <c>$lt</c>, <c>$lte</c>.</summary>
public sealed record RangeFilter(string? Path, string Operator) : FilterNode
{
    private readonly string _text = $"Range({Filter.PathText(Path)} {Operator})";

    public override string ToString() => _text;
}

/// <summary>A regular expression; an anchored one (<c>^abc</c>) bounds a ranged key, any other does not.</summary>
public sealed record RegexFilter(string? Path, bool Anchored) : FilterNode
{
    private readonly string _text = $"Regex({Filter.PathText(Path)}{(Anchored ? ", anchored" : string.Empty)})";

    public override string ToString() => _text;
}

/// <summary>A negated field condition: <c>$ne</c>, <c>$nin</c>, or <c>$not</c> of another operator.</summary>
public sealed record NegFilter(string? Path, string Operator, FilterValue? Value = null, FilterList? Values = null) : FilterNode
{
    private readonly string _text = Values is null
        ? $"Neg({Filter.PathText(Path)} {Operator})"
        : $"Neg({Filter.PathText(Path)} {Operator}, {Values.Size})";

    public override string ToString() => _text;
}

/// <summary><c>{path: {$exists: bool}}</c>.</summary>
public sealed record ExistsFilter(string? Path, bool Exists) : FilterNode
{
    private readonly string _text = $"Exists({Filter.PathText(Path)}, {(Exists ? "true" : "false")})";

    public override string ToString() => _text;
}

/// <summary><c>$type</c> on a field, or a discriminator test (<c>OfType</c>, Path <c>_t</c>).</summary>
public sealed record TypeFilter(string? Path) : FilterNode
{
    private readonly string _text = $"Type({Filter.PathText(Path)})";

    public override string ToString() => _text;
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
    private readonly string _text = $"Field({Filter.PathText(Path)} {Operator})";

    public override string ToString() => _text;
}

/// <summary>
/// A sub-expression of a lambda that uses no document field: the driver evaluates it on the client and folds it
/// to a constant (reference §3.4). <see cref="Value"/> is known for literals and null when it depends on runtime values.
/// </summary>
public sealed record ClientCondition(string Text, bool? Value) : FilterNode
{
    private readonly string _text = Value is { } v ? $"Client({Text}={(v ? "true" : "false")})" : $"Client({Text})";

    public override string ToString() => _text;
}

// Composite nodes compute their text on first use; their equality stays what a record of an ImmutableArray gives
// (the same operands array), without the cached text.

public sealed record AndFilter(ImmutableArray<FilterNode> Operands) : FilterNode
{
    private string? _text;

    public override string ToString() => _text ??= $"And({string.Join(", ", Operands.Select(o => o.ToString()))})";

    public bool Equals(AndFilter? other) => other is not null && Operands.Equals(other.Operands);

    public override int GetHashCode() => Operands.GetHashCode();
}

public sealed record OrFilter(ImmutableArray<FilterNode> Operands) : FilterNode
{
    private string? _text;

    public override string ToString() => _text ??= $"Or({string.Join(", ", Operands.Select(o => o.ToString()))})";

    public bool Equals(OrFilter? other) => other is not null && Operands.Equals(other.Operands);

    public override int GetHashCode() => Operands.GetHashCode();
}

/// <summary>A negation the driver cannot fold into one field operator (<c>$nor</c>, <c>$not</c> of a compound filter).</summary>
public sealed record NotFilter(FilterNode Operand) : FilterNode
{
    private readonly string _text = $"Not({Operand})";

    public override string ToString() => _text;
}

/// <summary>
/// One of several filters, depending on the code path (a ternary, <c>??</c>, a filter built across branches).
/// Each path carries a short description of when it is taken, for messages.
/// </summary>
public sealed record ChoiceFilter(ImmutableArray<FilterPath> Paths) : FilterNode
{
    private string? _text;

    public override string ToString() => _text ??= $"Choice({string.Join(", ", Paths.Select(p => p.Filter.ToString()))})";

    public bool Equals(ChoiceFilter? other) => other is not null && Paths.Equals(other.Paths);

    public override int GetHashCode() => Paths.GetHashCode();
}

public sealed record FilterPath(string Condition, FilterNode Filter);

/// <summary>QueryGuard cannot see this part of the filter. Rules stay silent rather than guess.</summary>
public sealed record UnknownFilter(string Reason) : FilterNode
{
    public override string ToString() => "Unknown";
}
