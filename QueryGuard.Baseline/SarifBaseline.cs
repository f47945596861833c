using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QueryGuard.Baseline;

/// <summary>One accepted finding in <c>queryguard.baseline.json</c>. Only rule and fingerprint are matched; the rest is for readers.</summary>
internal sealed record BaselineEntry(string Rule, string Fingerprint, string Member, string File, string Message);

/// <summary>
/// Turns the SARIF 2.1 logs of a compile into the baseline document. Roslyn's SARIF logger writes a diagnostic's
/// properties under <c>result.properties.customProperties</c>; QueryGuard's operation rules put their
/// <c>Fingerprint</c> (and <c>FingerprintMember</c>) there. Results suppressed in source (<c>#pragma</c>,
/// <c>[SuppressMessage]</c>) are already handled and are not recorded; neither are results without a fingerprint
/// (QG0001, QG0002, other analyzers).
/// </summary>
internal static class SarifBaseline
{
    public const int Version = 1;

    private static readonly JsonSerializerOptions Output = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The findings of every log, one per (rule, fingerprint), sorted for stable diffs.</summary>
    public static IReadOnlyList<BaselineEntry> Read(IEnumerable<string> sarifLogs, string? projectDirectory)
    {
        var entries = new List<BaselineEntry>();
        foreach (var log in sarifLogs)
        {
            using var document = JsonDocument.Parse(log, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (!document.RootElement.TryGetProperty("version", out var version) || version.GetString() is not ("2.1.0" or "2.1"))
            {
                throw new FormatException("the error log is not SARIF 2.1 (build with ErrorLog=<path>,version=2.1)");
            }

            foreach (var run in Array(document.RootElement, "runs"))
            {
                foreach (var result in Array(run, "results"))
                {
                    if (ReadEntry(result, projectDirectory) is { } entry)
                    {
                        entries.Add(entry);
                    }
                }
            }
        }

        return Normalize(entries);
    }

    /// <summary>One entry per (rule, fingerprint), sorted by rule, member and fingerprint: the order of the file.</summary>
    public static IReadOnlyList<BaselineEntry> Normalize(IEnumerable<BaselineEntry> entries)
    {
        return entries
            .OrderBy(e => e.Rule, StringComparer.Ordinal)
            .ThenBy(e => e.Member, StringComparer.Ordinal)
            .ThenBy(e => e.Fingerprint, StringComparer.Ordinal)
            .ThenBy(e => e.File, StringComparer.Ordinal)
            .ThenBy(e => e.Message, StringComparer.Ordinal)
            .DistinctBy(e => (e.Rule, e.Fingerprint))
            .ToList();
    }

    private static BaselineEntry? ReadEntry(JsonElement result, string? projectDirectory)
    {
        var rule = String(result, "ruleId");
        if (rule is null || !rule.StartsWith("QG", StringComparison.Ordinal))
        {
            return null;
        }

        if (result.TryGetProperty("suppressions", out var suppressions) && suppressions.ValueKind == JsonValueKind.Array && suppressions.GetArrayLength() > 0)
        {
            return null;
        }

        if (!result.TryGetProperty("properties", out var properties) || !properties.TryGetProperty("customProperties", out var custom)
            || String(custom, "Fingerprint") is not { Length: > 0 } fingerprint)
        {
            return null;
        }

        var message = result.TryGetProperty("message", out var messageElement) ? String(messageElement, "text") ?? "" : "";
        return new BaselineEntry(rule, fingerprint, String(custom, "FingerprintMember") ?? "", FilePath(result, projectDirectory), message);
    }

    /// <summary>The result's file, relative to the project folder with '/' separators (informative only: not matched).</summary>
    private static string FilePath(JsonElement result, string? projectDirectory)
    {
        var location = Array(result, "locations").FirstOrDefault();
        if (location.ValueKind != JsonValueKind.Object
            || !location.TryGetProperty("physicalLocation", out var physical)
            || !physical.TryGetProperty("artifactLocation", out var artifact)
            || String(artifact, "uri") is not { } uri)
        {
            return "";
        }

        var path = Uri.TryCreate(uri, UriKind.Absolute, out var absolute) && absolute.IsFile ? absolute.LocalPath : Uri.UnescapeDataString(uri);
        if (projectDirectory is not null && Path.IsPathRooted(path))
        {
            path = Path.GetRelativePath(projectDirectory, path);
        }

        return path.Replace('\\', '/');
    }

    /// <summary>The baseline document: <c>{ "version": 1, "findings": [ ... ] }</c>, two-space indented, '\n' line ends.</summary>
    public static string Write(IReadOnlyList<BaselineEntry> entries)
    {
        var findings = new JsonArray();
        foreach (var entry in entries)
        {
            findings.Add(new JsonObject
            {
                ["rule"] = entry.Rule,
                ["fingerprint"] = entry.Fingerprint,
                ["member"] = entry.Member,
                ["file"] = entry.File,
                ["message"] = entry.Message,
            });
        }

        var root = new JsonObject { ["version"] = Version, ["findings"] = findings };
        return root.ToJsonString(Output).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    /// <summary>The (rule, fingerprint) pairs of an existing baseline, to report what changed; empty when unreadable.</summary>
    public static IReadOnlySet<(string Rule, string Fingerprint)> ReadKeys(string baselineJson) =>
        ReadEntries(baselineJson).Select(e => (e.Rule, e.Fingerprint)).ToHashSet();

    /// <summary>The entries of a baseline (or of one framework's part); empty when unreadable.</summary>
    public static IReadOnlyList<BaselineEntry> ReadEntries(string baselineJson)
    {
        var entries = new List<BaselineEntry>();
        try
        {
            using var document = JsonDocument.Parse(baselineJson, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            foreach (var finding in Array(document.RootElement, "findings"))
            {
                if (String(finding, "rule") is { } rule && String(finding, "fingerprint") is { } fingerprint)
                {
                    entries.Add(new BaselineEntry(rule, fingerprint, String(finding, "member") ?? "", String(finding, "file") ?? "", String(finding, "message") ?? ""));
                }
            }
        }
        catch (JsonException)
        {
            // A broken baseline is replaced whole.
        }

        return entries;
    }

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : Enumerable.Empty<JsonElement>();

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
