using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using QueryGuard.Configuration;
using QueryGuard.Json;

namespace QueryGuard.Baseline;

/// <summary>
/// <c>queryguard.baseline.json</c>: the findings a project has accepted for now, by rule ID and fingerprint
/// (docs/baseline.md). Written by the package's baseline tool, read here. Parsed once per content (cached by
/// SourceText); never throws: problems are <see cref="Errors"/>, reported as QG0001, and a finding that cannot be
/// read is simply not baselined.
/// </summary>
internal sealed class BaselineFile
{
    public const string FileName = "queryguard.baseline.json";

    /// <summary>The resolved <c>&lt;QueryGuardBaseline&gt;</c> path, passed by the package's build targets.</summary>
    public const string PathProperty = "build_property.QueryGuardBaselinePath";

    /// <summary><c>-p:QueryGuardUpdateBaseline=true</c>: the build records the baseline, so it must see every finding.</summary>
    public const string UpdateProperty = "build_property.QueryGuardUpdateBaseline";

    public const int CurrentVersion = 1;

    private static readonly SourceTextValueProvider<BaselineFile> Parsed = new(text => Read(string.Empty, text));

    private static readonly ImmutableArray<string> TopLevelKeys = ImmutableArray.Create("version", "findings");

    private readonly HashSet<string> _entries;

    private BaselineFile(string path, HashSet<string> entries, ImmutableArray<ConfigurationError> errors)
    {
        Path = path;
        _entries = entries;
        Errors = errors;
    }

    public static BaselineFile Empty { get; } = new(string.Empty, new HashSet<string>(StringComparer.Ordinal), ImmutableArray<ConfigurationError>.Empty);

    public string Path { get; }

    public int Count => _entries.Count;

    public ImmutableArray<ConfigurationError> Errors { get; }

    public bool Contains(string ruleId, string? fingerprint) =>
        fingerprint is not null && _entries.Contains(Key(ruleId, fingerprint));

    public delegate bool TryGetCachedValue(SourceText text, SourceTextValueProvider<BaselineFile> provider, out BaselineFile? value);

    /// <summary>
    /// The baseline of this compilation: the AdditionalFile at <c>build_property.QueryGuardBaselinePath</c>, else the
    /// one named <c>queryguard.baseline.json</c>. Callers that filter findings skip it while <see cref="IsUpdating"/>.
    /// </summary>
    public static BaselineFile Load(AnalyzerOptions options, TryGetCachedValue tryGetValue, CancellationToken cancellationToken)
    {
        options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(PathProperty, out var baselinePath);
        return Load(options.AdditionalFiles, (text, provider) => tryGetValue(text, provider, out var file) ? file : null, cancellationToken, baselinePath);
    }

    /// <summary>True when this build records the baseline (<c>-p:QueryGuardUpdateBaseline=true</c>).</summary>
    public static bool IsUpdating(AnalyzerOptions options) =>
        options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(UpdateProperty, out var value)
        && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    internal static BaselineFile Load(
        ImmutableArray<AdditionalText> additionalFiles,
        Func<SourceText, SourceTextValueProvider<BaselineFile>, BaselineFile?> parse,
        CancellationToken cancellationToken,
        string? baselinePath = null)
    {
        baselinePath = string.IsNullOrWhiteSpace(baselinePath) ? null : baselinePath;
        var file = additionalFiles
            .Where(f => baselinePath is null ? IsBaselineFile(f.Path) : SamePath(f.Path, baselinePath!))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .FirstOrDefault();
        if (file?.GetText(cancellationToken) is not { } text || parse(text, Parsed) is not { } parsed)
        {
            return Empty;
        }

        // The parse is cached by content; the path is this file's.
        return new BaselineFile(file.Path, parsed._entries, parsed.Errors.Select(e => e with { Path = file.Path }).ToImmutableArray());
    }

    public static bool IsBaselineFile(string path) =>
        string.Equals(System.IO.Path.GetFileName(path), FileName, StringComparison.OrdinalIgnoreCase);

    private static bool SamePath(string a, string b) =>
        string.Equals(a.Replace('\\', '/'), b.Replace('\\', '/'), StringComparison.OrdinalIgnoreCase);

    private static string Key(string ruleId, string fingerprint) => ruleId + "\u0000" + fingerprint;

    /// <summary>Reads the format of docs/baseline.md: <c>{ "version": 1, "findings": [ { "rule", "fingerprint", ... } ] }</c>.</summary>
    public static BaselineFile Read(string path, SourceText text)
    {
        var entries = new HashSet<string>(StringComparer.Ordinal);
        var errors = ImmutableArray.CreateBuilder<ConfigurationError>();
        BaselineFile Done() => new(path, entries, errors.ToImmutable());
        void Error(int start, int length, string message) => errors.Add(ConfigurationError.At(text, path, start, length, message));

        var (root, error) = JsonReader.Parse(text.ToString(), relaxed: false);
        if (error is not null)
        {
            Error(error.Offset, 1, $"{FileName} is not valid JSON: {error.Message}");
            return Done();
        }

        if (root is not JsonObject obj)
        {
            Error(root!.Start, root.Length, $"{FileName} must contain a JSON object");
            return Done();
        }

        foreach (var property in obj.Properties.Where(p => !TopLevelKeys.Contains(p.Name, StringComparer.Ordinal)))
        {
            Error(property.NameStart, property.NameLength, $"Unknown setting '{property.Name}' in {FileName}; expected 'version' and 'findings'");
        }

        var version = obj.Properties.FirstOrDefault(p => p.Name == "version");
        if (version is null)
        {
            Error(obj.Start, 1, $"{FileName} has no 'version'; expected \"version\": {CurrentVersion}");
        }
        else if (version.Value is not JsonNumber { Text: "1" })
        {
            // A newer format could mean something else by the same fingerprints: apply none of it.
            Error(version.Value.Start, version.Value.Length, $"{FileName} version must be {CurrentVersion}; refresh the baseline with this QueryGuard version");
            return Done();
        }

        var findings = obj.Properties.FirstOrDefault(p => p.Name == "findings");
        if (findings is null)
        {
            Error(obj.Start, 1, $"{FileName} has no 'findings' array");
            return Done();
        }

        if (findings.Value is not JsonArray array)
        {
            Error(findings.Value.Start, findings.Value.Length, "'findings' must be an array");
            return Done();
        }

        foreach (var item in array.Items)
        {
            if (item is not JsonObject finding)
            {
                Error(item.Start, item.Length, "Each finding must be an object with 'rule' and 'fingerprint'");
                continue;
            }

            var rule = RequiredString(finding, "rule");
            var fingerprint = RequiredString(finding, "fingerprint");
            if (rule is not null && fingerprint is not null)
            {
                entries.Add(Key(rule, fingerprint));
            }
        }

        return Done();

        string? RequiredString(JsonObject finding, string name)
        {
            var value = finding.Properties.FirstOrDefault(p => p.Name == name)?.Value;
            if (value is JsonString { Value: { Length: > 0 } s })
            {
                return s;
            }

            if (value is null)
            {
                Error(finding.Start, 1, $"A finding has no '{name}'");
            }
            else
            {
                Error(value.Start, value.Length, $"'{name}' must be a non-empty string");
            }

            return null;
        }
    }
}
