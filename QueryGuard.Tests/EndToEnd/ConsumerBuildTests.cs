using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace QueryGuard.Tests.EndToEnd;

/// <summary>
/// QueryGuard the way its users meet it: a fresh project references the packed QueryGuard from a folder feed,
/// and <c>dotnet build</c>, <c>.editorconfig</c>, <c>-p:ErrorLog</c> and <c>dotnet format</c> behave as documented.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ConsumerBuildTests
{
    private static readonly Regex AnyQueryGuardDiagnostic = new(@": (warning|error|info) QG\d{4}:");

    private readonly PackedQueryGuard _package;

    public ConsumerBuildTests(PackedQueryGuard package) => _package = package;

    private static (string File, int Line, int Column, string Id) UnscopedDelete =>
        At(ConsumerProjects.UnscopedDeleteFilter, RuleIdentifiers.WriteMatchesEveryDocument);

    private static (string File, int Line, int Column, string Id) BroadcastFind =>
        At(ConsumerProjects.BroadcastFindFilter, RuleIdentifiers.OperationOmitsShardKey);

    [Fact]
    public void DefaultMode_ReportsEachFindingAsAWarningAtItsFilter()
    {
        var build = _package.DefaultBuild;

        Assert.True(build.ExitCode == 0, build.ToString());
        AssertFindings(build, (UnscopedDelete, "warning"), (BroadcastFind, "warning"));
    }

    [Fact]
    public void StrictMode_FailsTheBuildWithErrors()
    {
        var build = _package.Build("Consumer", "-p:QueryGuardAnalysisMode=strict");

        Assert.True(build.ExitCode != 0, build.ToString());
        AssertFindings(build, (UnscopedDelete, "error"), (BroadcastFind, "error"));
    }

    [Fact]
    public void NoneMode_BuildsCleanWithTheNonePresetHandedToTheCompiler()
    {
        // Normal verbosity prints the compiler command line: what the package really hands to csc.
        var build = _package.Build("Consumer", "-p:QueryGuardAnalysisMode=none", "-v:n");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.False(AnyQueryGuardDiagnostic.IsMatch(build.Output), build.ToString());

        var compilerLine = build.Output.Split('\n').Single(line => line.Contains("/analyzerconfig:", StringComparison.Ordinal) && line.Contains("Consumer", StringComparison.Ordinal));
        var analyzers = Switches(compilerLine, "analyzer");
        var packageFolder = Path.Combine(_package.PackagesFolder, "queryguard", _package.Version).Replace('\\', '/');
        Assert.Contains(packageFolder + "/analyzers/dotnet/cs/QueryGuard.Analyzers.dll", analyzers);
        Assert.Contains(packageFolder + "/analyzers/dotnet/cs/QueryGuard.CodeFixes.dll", analyzers);
        Assert.Contains(packageFolder + "/configuration/QueryGuard.none.globalconfig", Switches(compilerLine, "analyzerconfig"));
        Assert.Equal(new[] { Path.Combine(_package.ProjectDirectory("Consumer"), "queryguard.json") }, Switches(compilerLine, "additionalfile"));
        Assert.Contains(packageFolder + "/build/QueryGuard.Attributes.cs", compilerLine, StringComparison.Ordinal);
    }

    [Fact]
    public void EditorConfig_PerRuleSettingsOverrideThePreset()
    {
        var build = WithEditorConfig(
            """
            [*.cs]
            dotnet_diagnostic.QG1001.severity = warning
            dotnet_diagnostic.QG2001.severity = none
            """,
            () => _package.Build("Consumer", "-p:QueryGuardAnalysisMode=strict"));

        // Strict would make QG1001 an error and report QG2001; the project's .editorconfig wins over both.
        Assert.True(build.ExitCode == 0, build.ToString());
        AssertFindings(build, (UnscopedDelete, "warning"));
    }

    [Fact]
    public void EditorConfig_CategorySettingAppliesToEveryRule()
    {
        var build = WithEditorConfig(
            """
            [*.cs]
            dotnet_analyzer_diagnostic.category-QueryGuard.severity = error
            """,
            () => _package.Build("Consumer"));

        Assert.True(build.ExitCode != 0, build.ToString());
        AssertFindings(build, (UnscopedDelete, "error"), (BroadcastFind, "error"));
    }

    [Fact]
    public void ErrorLog_WritesSarifWithEveryFindingAndItsHelpLink()
    {
        var build = _package.DefaultBuild;
        Assert.True(build.ExitCode == 0, build.ToString());

        using var sarif = JsonDocument.Parse(File.ReadAllText(_package.DefaultSarifPath));
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        var run = sarif.RootElement.GetProperty("runs")[0];
        var results = run.GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("ruleId").GetString()!.StartsWith("QG", StringComparison.Ordinal))
            .Select(r =>
            {
                var location = r.GetProperty("locations")[0].GetProperty("physicalLocation");
                var region = location.GetProperty("region");
                return (
                    File: Path.GetFileName(new Uri(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath),
                    Line: region.GetProperty("startLine").GetInt32(),
                    Column: region.GetProperty("startColumn").GetInt32(),
                    Id: r.GetProperty("ruleId").GetString()!,
                    Level: r.GetProperty("level").GetString()!);
            })
            .OrderBy(r => r.Line)
            .ToList();
        Assert.Equal(
            new[] { (UnscopedDelete.File, UnscopedDelete.Line, UnscopedDelete.Column, UnscopedDelete.Id, "warning"), (BroadcastFind.File, BroadcastFind.Line, BroadcastFind.Column, BroadcastFind.Id, "warning") },
            results);

        var helpLinks = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .ToDictionary(rule => rule.GetProperty("id").GetString()!, rule => rule.TryGetProperty("helpUri", out var uri) ? uri.GetString() : null);
        foreach (var id in results.Select(r => r.Id).Distinct())
        {
            Assert.True(helpLinks.ContainsKey(id), $"SARIF has no rule entry for {id}.");
            Assert.Equal(RuleIdentifiers.GetHelpUri(id), helpLinks[id]);
            Assert.EndsWith($"/docs/rules/{id}.md", helpLinks[id], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DotnetFormat_AppliesTheQG1001FixAndTheResultBuilds()
    {
        var storePath = Path.Combine(_package.ProjectDirectory("Fixable"), "Store.cs");

        var format = _package.Run("format", "analyzers", Path.Combine("Fixable", "Fixable.csproj"), "--diagnostics", RuleIdentifiers.WriteMatchesEveryDocument, "--no-restore", "--verbosity", "detailed");

        Assert.True(format.ExitCode == 0, format.ToString());
        var fixedSource = File.ReadAllText(storePath);
        Assert.DoesNotContain(ConsumerProjects.UnscopedDeleteFilter, fixedSource, StringComparison.Ordinal);

        var build = _package.Build("Fixable");
        Assert.True(build.ExitCode == 0, build.ToString());
        var findings = BuildDiagnostic.Parse(build.Output);
        Assert.DoesNotContain(findings, d => d.Id == RuleIdentifiers.WriteMatchesEveryDocument);

        // The analyzer still runs on the fixed project: the finding the fix was not asked for remains.
        Assert.Contains(findings, d => d.Id == RuleIdentifiers.OperationOmitsShardKey);
    }

    [Fact]
    public void UnknownMode_FailsTheBuildWithAClearMessage()
    {
        var build = _package.Build("Consumer", "-p:QueryGuardAnalysisMode=strcit");

        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Contains("error QGBUILD01: QueryGuardAnalysisMode is 'strcit'; use default, strict or none.", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingConfigurationFile_FailsTheBuildWithAClearMessage()
    {
        var build = _package.Build("Settings", "-p:QueryGuardConfig=config/missing.json");

        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Contains("error QGBUILD02: QueryGuardConfig points at 'config/missing.json', which does not exist", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Attributes_CompileInProjectsThatSeeEachOthersInternals_AndLeaveNoTraceInMetadata()
    {
        // Lib and App both get the internal attribute definitions, and Lib has [InternalsVisibleTo("App")]:
        // without [Embedded], App would see two QueryGuard.ShardKeyAttribute types (CS0436, an error there).
        var build = _package.Build("App");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotMatch(@": (warning|error) [A-Z]+\d+", build.Output);

        foreach (var project in new[] { "App", "Lib" })
        {
            var assembly = Path.Combine(_package.ProjectDirectory(project), "bin", "Debug", "net10.0", project + ".dll");
            Assert.Empty(QueryGuardAttributeUses(assembly));
        }
    }

    [Fact]
    public void Package_AddsTheConfigurationFileShardKeyExportsAndAttributes()
    {
        var evaluation = EvaluateSettings();

        var settings = _package.ProjectDirectory("Settings");
        Assert.Equal(
            new[] { Path.Combine(settings, "cluster.shardkeys.json"), Path.Combine(settings, "queryguard.json") },
            evaluation["AdditionalFiles"].Order(StringComparer.Ordinal));
        Assert.Equal(Path.Combine(settings, "queryguard.json"), evaluation.Properties["QueryGuardConfigPath"]);
        Assert.Equal(
            new[] { "QueryGuard.Attributes.cs", "QueryGuard.EmbeddedAttributes.cs" },
            evaluation["Compile"].Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void QueryGuardConfig_ReplacesTheDefaultConfigurationFile()
    {
        var evaluation = EvaluateSettings("-p:QueryGuardConfig=config/sharding.json");

        var settings = _package.ProjectDirectory("Settings");
        var configured = Path.Combine(settings, "config", "sharding.json");
        Assert.Equal(
            new[] { Path.Combine(settings, "cluster.shardkeys.json"), configured },
            evaluation["AdditionalFiles"].Order(StringComparer.Ordinal));
        Assert.Equal(configured, evaluation.Properties["QueryGuardConfigPath"]);
    }

    [Fact]
    public void QueryGuardBaseline_PassesThatFileAndItsPathToTheAnalyzer()
    {
        var evaluation = EvaluateSettings("-p:QueryGuardBaseline=config/accepted.json");

        var accepted = Path.Combine(_package.ProjectDirectory("Settings"), "config", "accepted.json");
        Assert.Contains(accepted, evaluation["AdditionalFiles"]);
        Assert.Equal(accepted, evaluation.Properties["QueryGuardBaselinePath"]);
    }

    [Fact]
    public void UpdatingTheBaseline_UsesTheDefaultPresetInsteadOfStrict()
    {
        var evaluation = EvaluateSettings("-p:QueryGuardAnalysisMode=strict", "-p:QueryGuardUpdateBaseline=true");

        Assert.DoesNotContain(evaluation["GlobalAnalyzerConfigFiles"], f => Path.GetFileName(f).StartsWith("QueryGuard.", StringComparison.Ordinal));
    }

    [Fact]
    public void ConfigurationFileTheProjectAddsItself_IsPassedOnce()
    {
        var evaluation = EvaluateSettings("-p:AddConfigByHand=true");

        Assert.Single(evaluation["AdditionalFiles"], path => path == Path.Combine(_package.ProjectDirectory("Settings"), "queryguard.json"));
    }

    [Theory]
    [InlineData("default", null)]
    [InlineData("strict", "QueryGuard.strict.globalconfig")]
    [InlineData("Strict", "QueryGuard.strict.globalconfig")]
    [InlineData("none", "QueryGuard.none.globalconfig")]
    public void AnalysisMode_SelectsItsPreset(string mode, string? preset)
    {
        var evaluation = EvaluateSettings("-p:QueryGuardAnalysisMode=" + mode);

        var presets = evaluation["GlobalAnalyzerConfigFiles"].Select(Path.GetFileName).Where(f => f!.StartsWith("QueryGuard.", StringComparison.Ordinal));
        Assert.Equal(preset is null ? Array.Empty<string>() : new[] { preset }, presets);
    }

    [Fact]
    public void CompilerOlderThanRoslyn414_GetsTheAttributesWithoutEmbedded()
    {
        // The .NET 8 SDK's compiler (Roslyn 4.8, QueryGuard's floor) rejects a project's own EmbeddedAttribute.
        var evaluation = EvaluateSettings("-p:CompilerApiVersion=roslyn4.8");

        Assert.Equal(new[] { "QueryGuard.Attributes.cs" }, evaluation["Compile"].Select(Path.GetFileName));
    }

    [Fact]
    public void IncludeAttributesFalse_LeavesTheAttributesOut()
    {
        var evaluation = EvaluateSettings("-p:QueryGuardIncludeAttributes=false");

        Assert.Empty(evaluation["Compile"]);
    }

    private Evaluation EvaluateSettings(params string[] arguments) =>
        _package.Evaluate("Settings", ["AdditionalFiles", "Compile", "GlobalAnalyzerConfigFiles"], ["QueryGuardConfigPath", "QueryGuardAnalysisMode", "QueryGuardBaselinePath"], arguments);

    private CommandResult WithEditorConfig(string editorConfig, Func<CommandResult> build)
    {
        var path = Path.Combine(_package.ProjectDirectory("Consumer"), ".editorconfig");
        File.WriteAllText(path, editorConfig);
        try
        {
            return build();
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (string File, int Line, int Column, string Id) At(string filter, string id)
    {
        var (line, column) = ConsumerProjects.Locate(ConsumerProjects.StoreSource, filter);
        return ("Store.cs", line, column, id);
    }

    private static void AssertFindings(CommandResult build, params ((string File, int Line, int Column, string Id) Where, string Severity)[] expected)
    {
        var actual = BuildDiagnostic.Parse(build.Output)
            .Select(d => $"{Path.GetFileName(d.File)}({d.Line},{d.Column}): {d.Severity} {d.Id}")
            .Order(StringComparer.Ordinal);
        var wanted = expected
            .Select(e => $"{e.Where.File}({e.Where.Line},{e.Where.Column}): {e.Severity} {e.Where.Id}")
            .Order(StringComparer.Ordinal);
        Assert.True(wanted.SequenceEqual(actual), $"Expected:\n{string.Join('\n', wanted)}\nActual:\n{string.Join('\n', actual)}\n\n{build}");
    }

    /// <summary>The values of every <c>/name:value</c> switch on a compiler command line.</summary>
    private static IReadOnlyList<string> Switches(string commandLine, string name) =>
        Regex.Matches(commandLine, $@"(?<=\s)/{name}:(""(?<value>[^""]+)""|(?<value>\S+))")
            .Select(m => m.Groups["value"].Value.Replace('\\', '/'))
            .ToList();

    /// <summary>Every use of QueryGuard's attributes that made it into an assembly's metadata.</summary>
    private static IReadOnlyList<string> QueryGuardAttributeUses(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var uses = new List<string>();
        foreach (var handle in reader.CustomAttributes)
        {
            var attribute = reader.GetCustomAttribute(handle);
            var typeName = attribute.Constructor.Kind switch
            {
                HandleKind.MethodDefinition => TypeName(reader, reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType()),
                HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent is { Kind: HandleKind.TypeReference } parent
                    ? TypeName(reader, (TypeReferenceHandle)parent)
                    : "",
                _ => "",
            };
            if (typeName is "QueryGuard.ShardKeyAttribute" or "QueryGuard.ScopeKeyAttribute")
            {
                uses.Add(typeName);
            }
        }

        return uses;
    }

    private static string TypeName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        return reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
    }

    private static string TypeName(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        return reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
    }
}
