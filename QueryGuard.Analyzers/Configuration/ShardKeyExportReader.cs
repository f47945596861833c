using System.Linq;
using Microsoft.CodeAnalysis.Text;
using QueryGuard.Json;

namespace QueryGuard.Configuration;

/// <summary>
/// Reads a <c>*.shardkeys.json</c> export of the cluster's <c>config.collections</c>: documents with
/// <c>_id: "db.collection"</c> and <c>key: {...}</c>, as one JSON array (<c>mongoexport --jsonArray</c>) or one
/// document per line (plain <c>mongoexport</c>), in canonical or relaxed extended JSON or mongosh output. Other
/// fields of those documents are ignored; dropped collections are skipped.
/// </summary>
public static class ShardKeyExportReader
{
    public static ConfigurationFile Read(string path, SourceText text)
    {
        var file = new ConfigurationFile { Path = path, Text = text };
        var content = text.ToString();
        var (root, error) = JsonReader.Parse(content, relaxed: true);
        if (error is null)
        {
            switch (root)
            {
                case JsonArray array:
                    foreach (var item in array.Items)
                    {
                        ReadDocument(file, item);
                    }

                    return file;
                case JsonObject single:
                    ReadDocument(file, single);
                    return file;
            }
        }

        // One document per line.
        var parsedAny = false;
        foreach (var line in text.Lines)
        {
            if (line.ToString().Trim().Length == 0)
            {
                continue;
            }

            var (value, lineError) = JsonReader.Parse(content, line.Start, line.End - line.Start, relaxed: true);
            if (lineError is not null)
            {
                // Report the whole-file error when not even the first line is a document.
                var reported = parsedAny || error is null ? lineError : error;
                file.Errors.Add(ConfigurationFileReader.Error(file, reported.Offset, 1, $"{ConfigurationFileReader.FileName(path)} is not a shard-key export: {reported.Message}"));
                return file;
            }

            parsedAny = true;
            ReadDocument(file, value!);
        }

        return file;
    }

    private static void ReadDocument(ConfigurationFile file, JsonNode node)
    {
        if (node is not JsonObject document)
        {
            file.Errors.Add(ConfigurationFileReader.Error(file, node.Start, node.Length, "Each entry of a shard-key export must be a config.collections document"));
            return;
        }

        var properties = document.Properties.ToDictionary(p => p.Name, p => p, System.StringComparer.Ordinal);
        if (properties.TryGetValue("dropped", out var dropped) && dropped.Value is JsonBoolean { Value: true })
        {
            return;
        }

        if (!properties.TryGetValue("_id", out var id) || id.Value is not JsonString { Value: var ns } || ns.IndexOf('.') <= 0)
        {
            file.Errors.Add(ConfigurationFileReader.Error(file, document.Start, 1, "A shard-key export document needs _id: \"database.collection\""));
            return;
        }

        if (!properties.TryGetValue("key", out var key))
        {
            file.Errors.Add(ConfigurationFileReader.Error(file, document.Start, 1, $"The shard-key export entry '{ns}' has no 'key'"));
            return;
        }

        var name = ns.Substring(ns.IndexOf('.') + 1);
        var shardKey = ConfigurationFileReader.ReadShardKey(file, name, key.Value);
        file.CollectionNames[name] = new Positioned<string>(name, id.Value.Start, id.Value.Length);
        if (shardKey is not null)
        {
            file.Collections.Add(new CollectionDeclaration(name, null, shardKey, null, CollectionDeclaration.NoUniqueKeys, DeclarationSource.ShardKeyExport));
        }
    }
}
