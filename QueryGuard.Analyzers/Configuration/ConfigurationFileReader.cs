using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.Text;
using QueryGuard.Driver;
using QueryGuard.Json;

namespace QueryGuard.Configuration;

/// <summary>A name in a configuration file with the span it was written at, for QG0001 on later validation.</summary>
public sealed record Positioned<T>(T Value, int Start, int Length);

/// <summary>What one <c>queryguard.json</c> says, before it is checked against the compilation.</summary>
public sealed class ConfigurationFile
{
    public string Path { get; set; } = string.Empty;

    public SourceText Text { get; set; } = SourceText.From(string.Empty);

    public Version? MinServerVersion { get; set; }

    public ElementNameConvention? Convention { get; set; }

    public List<CollectionDeclaration> Collections { get; } = new();

    /// <summary>Where each collection's name was written, for conflicts found when files are merged.</summary>
    public Dictionary<string, Positioned<string>> CollectionNames { get; } = new(StringComparer.Ordinal);

    /// <summary>The <c>documentType</c> of each collection, with its position, for validation.</summary>
    public List<Positioned<string>> DocumentTypes { get; } = new();

    /// <summary><c>elementNames</c>: C# member (<c>Namespace.Type.Member</c>) → stored name, with the key's position.</summary>
    public List<(Positioned<string> Member, string ElementName)> ElementNames { get; } = new();

    public List<ConfigurationError> Errors { get; } = new();
}

/// <summary>
/// Reads <c>queryguard.json</c> in exactly the format of RULES.md. Never throws: every problem becomes a
/// <see cref="ConfigurationError"/> at the line and column it is about, and the rest of the file still applies.
/// </summary>
public static class ConfigurationFileReader
{
    internal static readonly ImmutableArray<string> TopLevelKeys = ImmutableArray.Create("minServerVersion", "elementNameConvention", "collections", "elementNames");
    internal static readonly ImmutableArray<string> CollectionKeys = ImmutableArray.Create("documentType", "shardKey", "scopeKey", "uniqueKeys");

    public static ConfigurationFile Read(string path, SourceText text)
    {
        var file = new ConfigurationFile { Path = path, Text = text };
        var (root, error) = JsonReader.Parse(text.ToString(), relaxed: false);
        if (error is not null)
        {
            file.Errors.Add(Error(file, error.Offset, 1, $"{FileName(path)} is not valid JSON: {error.Message}"));
            return file;
        }

        if (root is not JsonObject obj)
        {
            file.Errors.Add(Error(file, root!.Start, root.Length, $"{FileName(path)} must contain a JSON object"));
            return file;
        }

        foreach (var property in Distinct(file, obj, "setting"))
        {
            switch (property.Name)
            {
                case "minServerVersion":
                    ReadServerVersion(file, property.Value);
                    break;
                case "elementNameConvention":
                    ReadConvention(file, property.Value);
                    break;
                case "collections":
                    ReadCollections(file, property.Value);
                    break;
                case "elementNames":
                    ReadElementNames(file, property.Value);
                    break;
                default:
                    file.Errors.Add(Error(file, property.NameStart, property.NameLength, $"Unknown setting '{property.Name}'; expected one of: {string.Join(", ", TopLevelKeys)}"));
                    break;
            }
        }

        return file;
    }

    private static void ReadServerVersion(ConfigurationFile file, JsonNode value)
    {
        if (value is JsonString { Value: var text } && Version.TryParse(text.Contains(".") ? text : text + ".0", out var version) && version.Major > 0)
        {
            file.MinServerVersion = version;
            return;
        }

        file.Errors.Add(Error(file, value.Start, value.Length, "'minServerVersion' must be a server version string such as \"7.0\""));
    }

    private static void ReadConvention(ConfigurationFile file, JsonNode value)
    {
        switch (value)
        {
            case JsonString { Value: "none" }:
                file.Convention = ElementNameConvention.None;
                break;
            case JsonString { Value: "camelCase" }:
                file.Convention = ElementNameConvention.CamelCase;
                break;
            default:
                file.Errors.Add(Error(file, value.Start, value.Length, "'elementNameConvention' must be \"none\" or \"camelCase\""));
                break;
        }
    }

    private static void ReadCollections(ConfigurationFile file, JsonNode value)
    {
        if (value is not JsonObject collections)
        {
            file.Errors.Add(Error(file, value.Start, value.Length, "'collections' must be an object keyed by collection name"));
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in collections.Properties)
        {
            if (!seen.Add(entry.Name))
            {
                file.Errors.Add(Error(file, entry.NameStart, entry.NameLength, $"Collection '{entry.Name}' is declared twice"));
                continue;
            }

            if (entry.Value is not JsonObject body)
            {
                file.Errors.Add(Error(file, entry.Value.Start, entry.Value.Length, $"Collection '{entry.Name}' must be an object"));
                continue;
            }

            file.CollectionNames[entry.Name] = new Positioned<string>(entry.Name, entry.NameStart, entry.NameLength);
            ReadCollection(file, entry.Name, body);
        }
    }

    private static void ReadCollection(ConfigurationFile file, string name, JsonObject body)
    {
        string? documentType = null;
        ShardKey? shardKey = null;
        string? scopeKey = null;
        var uniqueKeys = CollectionDeclaration.NoUniqueKeys;
        var valid = true;
        foreach (var property in Distinct(file, body, "setting of collection '" + name + "'"))
        {
            switch (property.Name)
            {
                case "documentType":
                    if (property.Value is JsonString { Value.Length: > 0 } type)
                    {
                        documentType = type.Value;
                        file.DocumentTypes.Add(new Positioned<string>(type.Value, type.Start, type.Length));
                    }
                    else
                    {
                        file.Errors.Add(Error(file, property.Value.Start, property.Value.Length, $"'documentType' of '{name}' must be a full type name such as \"MyApp.Data.Workspace\""));
                    }

                    break;
                case "shardKey":
                    shardKey = ReadShardKey(file, name, property.Value);
                    valid &= shardKey is not null;
                    break;
                case "scopeKey":
                    if (property.Value is JsonString { Value.Length: > 0 } scope)
                    {
                        scopeKey = scope.Value;
                    }
                    else
                    {
                        file.Errors.Add(Error(file, property.Value.Start, property.Value.Length, $"'scopeKey' of '{name}' must be a stored field name"));
                    }

                    break;
                case "uniqueKeys":
                    uniqueKeys = ReadUniqueKeys(file, name, property.Value);
                    break;
                default:
                    file.Errors.Add(Error(file, property.NameStart, property.NameLength, $"Unknown setting '{property.Name}' in collection '{name}'; expected one of: {string.Join(", ", CollectionKeys)}"));
                    break;
            }
        }

        if (valid)
        {
            file.Collections.Add(new CollectionDeclaration(name, documentType, shardKey, scopeKey, uniqueKeys, DeclarationSource.ConfigurationFile));
        }
    }

    /// <summary><c>{ "a": 1, "b": "hashed" }</c>, fields in order. Shared with the shard-key export reader.</summary>
    internal static ShardKey? ReadShardKey(ConfigurationFile file, string collection, JsonNode value)
    {
        if (value is not JsonObject { Properties.Length: > 0 } key)
        {
            file.Errors.Add(Error(file, value.Start, value.Length, $"'shardKey' of '{collection}' must be an object of fields, each 1 or \"hashed\""));
            return null;
        }

        var fields = ImmutableArray.CreateBuilder<ShardKeyField>();
        var hashedCount = 0;
        foreach (var field in Distinct(file, key, "shard-key field"))
        {
            switch (field.Value)
            {
                case JsonNumber { Text: "1" or "1.0" }:
                case JsonObject ejson when IsExtendedJsonOne(ejson):
                    fields.Add(new ShardKeyField(field.Name, Hashed: false));
                    break;
                case JsonString { Value: "hashed" }:
                    fields.Add(new ShardKeyField(field.Name, Hashed: true));
                    hashedCount++;
                    break;
                default:
                    file.Errors.Add(Error(file, field.Value.Start, field.Value.Length, $"Shard-key field '{field.Name}' of '{collection}' must be 1 (ranged) or \"hashed\""));
                    return null;
            }
        }

        if (hashedCount > 1)
        {
            // The server allows at most one hashed field per shard key.
            file.Errors.Add(Error(file, value.Start, value.Length, $"'shardKey' of '{collection}' has more than one hashed field"));
            return null;
        }

        return new ShardKey(fields.ToImmutable());
    }

    /// <summary>Canonical extended JSON writes numbers as <c>{ "$numberInt": "1" }</c>.</summary>
    private static bool IsExtendedJsonOne(JsonObject value) =>
        value.Properties.Length == 1
        && value.Properties[0].Name is "$numberInt" or "$numberLong" or "$numberDouble"
        && value.Properties[0].Value is JsonString { Value: "1" or "1.0" };

    private static ImmutableArray<ImmutableArray<string>> ReadUniqueKeys(ConfigurationFile file, string collection, JsonNode value)
    {
        var result = ImmutableArray.CreateBuilder<ImmutableArray<string>>();
        if (value is JsonArray keys)
        {
            foreach (var key in keys.Items)
            {
                if (key is JsonArray { Items.Length: > 0 } fields && fields.Items.All(f => f is JsonString { Value.Length: > 0 }))
                {
                    result.Add(ImmutableArray.CreateRange(fields.Items, f => ((JsonString)f).Value));
                }
                else
                {
                    file.Errors.Add(Error(file, key.Start, key.Length, $"Each unique key of '{collection}' must be an array of stored field names, such as [\"slug\"]"));
                }
            }

            return result.ToImmutable();
        }

        file.Errors.Add(Error(file, value.Start, value.Length, $"'uniqueKeys' of '{collection}' must be an array of field-name arrays, such as [[\"slug\"]]"));
        return CollectionDeclaration.NoUniqueKeys;
    }

    private static void ReadElementNames(ConfigurationFile file, JsonNode value)
    {
        if (value is not JsonObject names)
        {
            file.Errors.Add(Error(file, value.Start, value.Length, "'elementNames' must be an object mapping \"Namespace.Type.Member\" to a stored name"));
            return;
        }

        foreach (var entry in Distinct(file, names, "element name"))
        {
            if (entry.Value is not JsonString { Value.Length: > 0 } stored)
            {
                file.Errors.Add(Error(file, entry.Value.Start, entry.Value.Length, $"The stored name of '{entry.Name}' must be a non-empty string"));
                continue;
            }

            if (entry.Name.LastIndexOf('.') <= 0)
            {
                file.Errors.Add(Error(file, entry.NameStart, entry.NameLength, $"'{entry.Name}' must name a member as \"Namespace.Type.Member\""));
                continue;
            }

            file.ElementNames.Add((new Positioned<string>(entry.Name, entry.NameStart, entry.NameLength), stored.Value));
        }
    }

    /// <summary>The properties of an object, reporting and skipping a repeated key.</summary>
    private static IEnumerable<JsonProperty> Distinct(ConfigurationFile file, JsonObject obj, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in obj.Properties)
        {
            if (!seen.Add(property.Name))
            {
                file.Errors.Add(Error(file, property.NameStart, property.NameLength, $"Duplicate {what} '{property.Name}'"));
                continue;
            }

            yield return property;
        }
    }

    internal static ConfigurationError Error(ConfigurationFile file, int start, int length, string message) =>
        ConfigurationError.At(file.Text, file.Path, start, length, message);

    internal static string FileName(string path) => System.IO.Path.GetFileName(path);
}
