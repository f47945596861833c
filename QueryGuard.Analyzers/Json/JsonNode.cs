using System.Collections.Immutable;

namespace QueryGuard.Json;

/// <summary>A parsed JSON value with its position in the source text (offset and length), for diagnostics.</summary>
public abstract record JsonNode(int Start, int Length);

public sealed record JsonObject(ImmutableArray<JsonProperty> Properties, int Start, int Length) : JsonNode(Start, Length);

public sealed record JsonProperty(string Name, int NameStart, int NameLength, JsonNode Value);

public sealed record JsonArray(ImmutableArray<JsonNode> Items, int Start, int Length) : JsonNode(Start, Length);

public sealed record JsonString(string Value, int Start, int Length) : JsonNode(Start, Length);

/// <summary>A number kept as its text: QueryGuard compares numbers only with 1 and -1.</summary>
public sealed record JsonNumber(string Text, int Start, int Length) : JsonNode(Start, Length);

public sealed record JsonBoolean(bool Value, int Start, int Length) : JsonNode(Start, Length);

public sealed record JsonNull(int Start, int Length) : JsonNode(Start, Length);

/// <summary>Relaxed mongo-shell syntax only: a regex literal <c>/^a/i</c> or a constructor such as <c>ObjectId("...")</c>.</summary>
public sealed record JsonShellValue(string Text, string? RegexPattern, int Start, int Length) : JsonNode(Start, Length);

/// <summary>A syntax error at an offset of the text.</summary>
public sealed record JsonError(string Message, int Offset);
