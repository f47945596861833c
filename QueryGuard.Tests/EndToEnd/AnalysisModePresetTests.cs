using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.EndToEnd;

/// <summary>
/// The severity presets shipped in the package (RULES.md, "Severity presets"), read from the files the package
/// contains. Each lists every rule, so a new descriptor cannot be forgotten in a preset.
/// </summary>
public sealed class AnalysisModePresetTests
{
    private static readonly Regex SeverityLine = new(@"^dotnet_diagnostic\.(?<id>[^.\s]+)\.severity\s*=\s*(?<severity>\S+)\s*$");

    public static IEnumerable<object[]> Modes => new[] { new object[] { "strict" }, new object[] { "none" } };

    [Fact]
    public void Package_ShipsOnePresetPerNonDefaultMode()
    {
        var files = Directory.GetFiles(ConfigurationDirectory).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal);

        Assert.Equal(new[] { "QueryGuard.none.globalconfig", "QueryGuard.strict.globalconfig" }, files);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Preset_ListsEveryDescriptorExactlyOnce(string mode)
    {
        var preset = ReadPreset(mode);

        var listed = preset.Severities.Select(s => s.Id).OrderBy(id => id, StringComparer.Ordinal);
        var descriptors = Descriptors.All.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal);
        Assert.Equal(descriptors, listed);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Preset_IsAGlobalConfigBelowTheUsersOwnSettings(string mode)
    {
        var preset = ReadPreset(mode);

        Assert.Equal("true", preset.Keys["is_global"]);

        // A user .globalconfig has level 100 (named .globalconfig) or 0, and .editorconfig sections win over any
        // global config: a negative level keeps every per-rule setting of the user above the preset.
        Assert.True(int.Parse(preset.Keys["global_level"]) < 0, "global_level must be negative");
    }

    [Fact]
    public void Strict_MakesEveryWriteAndShardingRuleAnError()
    {
        var severities = ReadPreset("strict").Severities.ToDictionary(s => s.Id, s => s.Severity);

        foreach (var descriptor in Descriptors.All)
        {
            var expected = descriptor.Id switch
            {
                RuleIdentifiers.SuppressionWithoutReason => "warning",

                // Not named by the strict preset in RULES.md: the configuration rule keeps its documented severity.
                RuleIdentifiers.InvalidConfiguration => SeverityName(descriptor.DefaultSeverity),
                _ when descriptor.Id.StartsWith("QG1", StringComparison.Ordinal) || descriptor.Id.StartsWith("QG2", StringComparison.Ordinal) => "error",
                _ => throw new InvalidOperationException($"RULES.md does not say what strict does with {descriptor.Id}: decide, then extend this test."),
            };
            Assert.True(expected == severities[descriptor.Id], $"{descriptor.Id}: expected {expected}, preset says {severities[descriptor.Id]}");
        }
    }

    [Fact]
    public void None_TurnsEveryRuleOff()
    {
        Assert.All(ReadPreset("none").Severities, s => Assert.True(s.Severity == "none", $"{s.Id} is {s.Severity}"));
    }

    [Fact]
    public void Props_SelectEachPresetByItsMode()
    {
        var props = File.ReadAllText(Path.Combine(ReferenceAssemblies.RepositoryRoot, "QueryGuard.Package", "build", "QueryGuard.props"));

        // A baseline update (-p:QueryGuardUpdateBaseline=true) may add a condition: strict does not apply there.
        foreach (var mode in new[] { "strict", "none" })
        {
            Assert.Matches(
                $@"<GlobalAnalyzerConfigFiles Include=""\$\(_QueryGuardConfigurationDirectory\)QueryGuard\.{mode}\.globalconfig"" Condition=""'\$\(QueryGuardAnalysisMode\)' == '{mode}'( and [^""]+)?"" />",
                props);
        }
    }

    private static string ConfigurationDirectory => Path.Combine(ReferenceAssemblies.RepositoryRoot, "QueryGuard.Package", "configuration");

    private static string SeverityName(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "suggestion",
        _ => "silent",
    };

    private static Preset ReadPreset(string mode)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var severities = new List<(string Id, string Severity)>();
        foreach (var raw in File.ReadAllLines(Path.Combine(ConfigurationDirectory, $"QueryGuard.{mode}.globalconfig")))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            var match = SeverityLine.Match(line);
            if (match.Success)
            {
                severities.Add((match.Groups["id"].Value, match.Groups["severity"].Value));
                continue;
            }

            var parts = line.Split('=', 2, StringSplitOptions.TrimEntries);
            Assert.True(parts.Length == 2 && parts[0] is "is_global" or "global_level", $"Unexpected line in the {mode} preset: {line}");
            keys[parts[0]] = parts[1];
        }

        Assert.True(severities.Select(s => s.Id).Distinct().Count() == severities.Count, $"The {mode} preset lists a rule twice.");
        return new Preset(keys, severities);
    }

    private sealed record Preset(IReadOnlyDictionary<string, string> Keys, IReadOnlyList<(string Id, string Severity)> Severities);
}
