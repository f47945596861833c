using System.Collections.Immutable;
using System.Globalization;
using QueryGuard.Json;

namespace QueryGuard.Model;

/// <summary>
/// A filter written as a document: a JSON string or a <c>BsonDocument</c> built in code. Both are read into this
/// shape first, then <see cref="FilterDocumentTranslator"/> turns it into a <see cref="FilterNode"/>.
/// Field names here are stored names, verbatim (reference §3.2: no member mapping for documents).
/// </summary>
public abstract record DocValue;

/// <summary>A document; <see cref="Elements"/> is default when its contents cannot be seen.</summary>
public sealed record DocDocument(ImmutableArray<DocElement> Elements) : DocValue
{
    public static DocDocument Unseen { get; } = new(default(ImmutableArray<DocElement>));
}

public sealed record DocElement(string Name, DocValue Value);

/// <summary>An array; <see cref="Size"/> says how much is known about its length.</summary>
public sealed record DocArray(ImmutableArray<DocValue> Items, ListSize Size, string Text) : DocValue;

/// <summary>A scalar (string, number, bool, null, a C# expression): its text, nullness and constant value if known.</summary>
public sealed record DocScalar(string Text, Nullness Nullness, object? Constant = null) : DocValue;

/// <summary>A regular expression value.</summary>
public sealed record DocRegex(string? Pattern) : DocValue;

public static class FilterDocumentReader
{
    /// <summary>Reads a JSON filter string (relaxed mongo-shell syntax). Unparsable text is an unseen document.</summary>
    public static DocDocument FromJson(string json)
    {
        var (value, error) = JsonReader.Parse(json, relaxed: true);
        return error is null && value is JsonObject obj ? (DocDocument)FromJson(obj) : DocDocument.Unseen;
    }

    private static DocValue FromJson(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                var elements = ImmutableArray.CreateBuilder<DocElement>(obj.Properties.Length);
                foreach (var property in obj.Properties)
                {
                    elements.Add(new DocElement(property.Name, FromJson(property.Value)));
                }

                return new DocDocument(elements.MoveToImmutable());
            case JsonArray array:
                var items = ImmutableArray.CreateRange(array.Items, FromJson);
                return new DocArray(items, FilterList.FromCount("[...]", items.Length).Size, "[...]");
            case JsonString s:
                return new DocScalar(s.Value, Nullness.NotNull, s.Value);
            case JsonNumber n:
                return new DocScalar(n.Text, Nullness.NotNull, double.Parse(n.Text, NumberStyles.Float, CultureInfo.InvariantCulture));
            case JsonBoolean b:
                return new DocScalar(b.Value ? "true" : "false", Nullness.NotNull, b.Value);
            case JsonNull:
                return new DocScalar("null", Nullness.Null);
            case JsonShellValue { RegexPattern: { } pattern }:
                return new DocRegex(pattern);
            case JsonShellValue shell:
                return new DocScalar(shell.Text, Nullness.NotNull);
            default:
                return new DocScalar("value", Nullness.NotNull);
        }
    }
}

/// <summary>Turns a filter document into the filter model, operator by operator (MongoDB query semantics).</summary>
public static class FilterDocumentTranslator
{
    public static FilterNode Translate(DocDocument document)
    {
        if (document.Elements.IsDefault)
        {
            return Filter.Unknown("the filter document's contents cannot be seen");
        }

        var conditions = ImmutableArray.CreateBuilder<FilterNode>(document.Elements.Length);
        foreach (var element in document.Elements)
        {
            conditions.Add(TranslateElement(element));
        }

        return Filter.And(conditions);
    }

    private static FilterNode TranslateElement(DocElement element)
    {
        var name = element.Name;
        if (name.StartsWith("$", System.StringComparison.Ordinal))
        {
            return name switch
            {
                "$and" => Filter.And(TranslateEach(element.Value)),
                "$or" => Filter.Or(TranslateEach(element.Value)),
                "$nor" => Filter.Not(Filter.Or(TranslateEach(element.Value))),
                "$text" => TextFilter.Instance,
                "$comment" => Filter.Empty,
                _ => Filter.Unknown($"{name} cannot be analysed"),
            };
        }

        return element.Value switch
        {
            DocDocument { Elements.IsDefault: false } operators when IsOperatorDocument(operators) =>
                Filter.And(ImmutableArray.CreateRange(operators.Elements, op => TranslateOperator(name, op, operators))),
            DocRegex regex => new RegexFilter(name, IsAnchored(regex.Pattern)),
            DocScalar scalar => Filter.Eq(name, new FilterValue(scalar.Text, scalar.Nullness)),
            DocDocument { Elements.IsDefault: true } => Filter.Eq(name, FilterValue.Opaque),
            var other => Filter.Eq(name, new FilterValue(other is DocArray array ? array.Text : "{...}")),
        };
    }

    private static FilterNode TranslateOperator(string path, DocElement op, DocDocument all)
    {
        switch (op.Name)
        {
            case "$eq":
                return Filter.Eq(path, ToValue(op.Value));
            case "$ne":
                return Filter.Ne(path, ToValue(op.Value));
            case "$in":
                return Filter.In(path, ToList(op.Value));
            case "$nin":
                return Filter.Nin(path, ToList(op.Value));
            case "$gt":
            case "$gte":
            case "$lt":
            case "$lte":
                return new RangeFilter(path, op.Name);
            case "$exists":
                // {$exists: false}, {$exists: 0} test for absence; anything else for presence.
                return new ExistsFilter(path, op.Value is not DocScalar { Constant: false or 0d });
            case "$regex":
                return new RegexFilter(path, IsAnchored(op.Value switch
                {
                    DocRegex r => r.Pattern,
                    DocScalar { Constant: string s } => s,
                    _ => null,
                }));
            case "$options":
                return Filter.Empty;
            case "$type":
                return new TypeFilter(path);
            case "$not":
                return op.Value is DocDocument { Elements.IsDefault: false } inner && IsOperatorDocument(inner)
                    ? Filter.Not(Filter.And(ImmutableArray.CreateRange(inner.Elements, o => TranslateOperator(path, o, inner))))
                    : new NegFilter(path, "$not");
            default:
                return new FieldFilter(path, op.Name);
        }
    }

    private static ImmutableArray<FilterNode> TranslateEach(DocValue value)
    {
        if (value is not DocArray { Items.IsDefault: false } array)
        {
            return ImmutableArray.Create(Filter.Unknown("the operand list cannot be seen"));
        }

        return ImmutableArray.CreateRange(array.Items, item => item is DocDocument doc ? Translate(doc) : Filter.Unknown("not a document"));
    }

    private static bool IsOperatorDocument(DocDocument document) =>
        document.Elements.Length > 0 && document.Elements[0].Name.StartsWith("$", System.StringComparison.Ordinal);

    private static FilterValue ToValue(DocValue value) => value switch
    {
        DocScalar scalar => new FilterValue(scalar.Text, scalar.Nullness),
        DocArray array => new FilterValue(array.Text),
        _ => FilterValue.Opaque,
    };

    private static FilterList ToList(DocValue value) => value switch
    {
        DocArray array => new FilterList(array.Text, array.Size),
        DocScalar { Nullness: var nullness } scalar => new FilterList(scalar.Text, ListSize.Unknown, nullness),
        _ => new FilterList("[...]", ListSize.Unknown),
    };

    /// <summary>Only a pattern that starts with <c>^</c> (or <c>\A</c>) bounds a ranged key.</summary>
    public static bool IsAnchored(string? pattern) =>
        pattern is not null
        && (pattern.StartsWith("^", System.StringComparison.Ordinal) || pattern.StartsWith("\\A", System.StringComparison.Ordinal))
        && !pattern.StartsWith("^.*", System.StringComparison.Ordinal);
}
