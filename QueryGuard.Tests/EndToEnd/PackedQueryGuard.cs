using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.EndToEnd;

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<PackedQueryGuard>
{
    public const string Name = "EndToEnd";
}

/// <summary>
/// Packs QueryGuard once per test run into a local folder feed and restores the consumer projects against it,
/// in a temporary folder with its own NuGet packages folder (so the package under test can never be confused
/// with an older QueryGuard 0.1.0 in a cache). Every end-to-end test shares this one pack and restore.
/// </summary>
public sealed class PackedQueryGuard : IDisposable
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(3);

    private readonly Lazy<CommandResult> _defaultBuild;

    public PackedQueryGuard()
    {
        Root = Path.Combine(Path.GetTempPath(), "queryguard-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        PackagesFolder = Path.Combine(Root, "packages");

        var configuration = typeof(PackedQueryGuard).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "Configuration")?.Value ?? "Debug";
        Pack = DotNetCli.Run(
            ReferenceAssemblies.RepositoryRoot,
            PackTimeout,
            environment: null,
            "pack", Path.Combine("QueryGuard.Package", "QueryGuard.Package.csproj"), "-c", configuration, "-o", Feed,
            "-tl:off", "-v:m", "-nodeReuse:false");
        if (Pack.ExitCode != 0)
        {
            throw new InvalidOperationException("Packing QueryGuard failed: " + Pack);
        }

        PackagePath = Directory.GetFiles(Feed, "QueryGuard.*.nupkg").Single();
        Version = Path.GetFileNameWithoutExtension(PackagePath)["QueryGuard.".Length..];

        ConsumerProjects.Write(Root, Feed, Version);
        Restore = DotNetCli.Run(Root, RestoreTimeout, Environment, "restore", "e2e.slnx", "-tl:off", "-v:m", "-nodeReuse:false");
        if (Restore.ExitCode != 0)
        {
            // MongoDB.Driver comes from the registry: give a transient network failure one more chance.
            Restore = DotNetCli.Run(Root, RestoreTimeout, Environment, "restore", "e2e.slnx", "-tl:off", "-v:m", "-nodeReuse:false");
        }

        if (Restore.ExitCode != 0)
        {
            throw new InvalidOperationException("Restoring the consumer projects failed: " + Restore);
        }

        DefaultSarifPath = Path.Combine(Root, "default.sarif");
        _defaultBuild = new Lazy<CommandResult>(() => Build("Consumer", "-p:ErrorLog=" + DefaultSarifPath + "%2Cversion=2.1"));
    }

    public string Root { get; }

    public string Feed { get; }

    public string PackagesFolder { get; }

    public string PackagePath { get; }

    public string Version { get; }

    public CommandResult Pack { get; }

    public CommandResult Restore { get; }

    /// <summary>The SARIF log of <see cref="DefaultBuild"/>.</summary>
    public string DefaultSarifPath { get; }

    /// <summary>A rebuild of Consumer in the default mode, with a SARIF 2.1 error log; shared by the tests that read either.</summary>
    public CommandResult DefaultBuild => _defaultBuild.Value;

    /// <summary>Child processes restore into the isolated packages folder.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = PackagesFolder };

    public string ProjectDirectory(string project) => Path.Combine(Root, project);

    /// <summary>Rebuilds a restored consumer project (always compiling, so every diagnostic is printed).</summary>
    public CommandResult Build(string project, params string[] arguments) =>
        Run(["build", Path.Combine(project, project + ".csproj"), "--no-restore", "--no-incremental", "-tl:off", "-v:m", "-clp:NoSummary", "-nodeReuse:false", .. arguments]);

    public CommandResult Run(params string[] arguments) => DotNetCli.Run(Root, BuildTimeout, Environment, arguments);

    /// <summary>The MSBuild evaluation of a project: item identities by type and property values (dotnet msbuild -getItem/-getProperty).</summary>
    public Evaluation Evaluate(string project, string[] items, string[] properties, params string[] arguments)
    {
        var result = Run(["msbuild", Path.Combine(project, project + ".csproj"), "-nologo", .. items.Select(i => "-getItem:" + i), .. properties.Select(p => "-getProperty:" + p), .. arguments]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Output[result.Output.IndexOf('{')..];
        using var document = JsonDocument.Parse(json);
        var itemValues = new Dictionary<string, IReadOnlyList<string>>();
        if (document.RootElement.TryGetProperty("Items", out var itemsElement))
        {
            foreach (var item in itemsElement.EnumerateObject())
            {
                itemValues[item.Name] = item.Value.EnumerateArray().Select(e => e.GetProperty("FullPath").GetString()!).ToList();
            }
        }

        var propertyValues = new Dictionary<string, string>();
        if (document.RootElement.TryGetProperty("Properties", out var propertiesElement))
        {
            foreach (var property in propertiesElement.EnumerateObject())
            {
                propertyValues[property.Name] = property.Value.GetString() ?? "";
            }
        }

        return new Evaluation(itemValues, propertyValues);
    }

    public void Dispose()
    {
        if (System.Environment.GetEnvironmentVariable("QUERYGUARD_E2E_KEEP") == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A straggling build process may still hold a file; the temporary folder is cleaned up by the OS.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

public sealed record Evaluation(IReadOnlyDictionary<string, IReadOnlyList<string>> Items, IReadOnlyDictionary<string, string> Properties)
{
    public IReadOnlyList<string> this[string itemType] => Items.TryGetValue(itemType, out var values) ? values : Array.Empty<string>();
}

/// <summary>A QueryGuard diagnostic as the command-line build prints it.</summary>
public sealed record BuildDiagnostic(string File, int Line, int Column, string Severity, string Id, string Message)
{
    private static readonly Regex Pattern = new(
        @"^\s*(?<file>.+?)\((?<line>\d+),(?<column>\d+)(,\d+,\d+)?\): (?<severity>warning|error|info) (?<id>QG\d{4}): (?<message>.*?)( \[[^\]]+\])?\s*$",
        RegexOptions.Multiline);

    /// <summary>Every distinct QueryGuard diagnostic in a build's output.</summary>
    public static IReadOnlyList<BuildDiagnostic> Parse(string output) => Pattern.Matches(output)
        .Select(m => new BuildDiagnostic(
            m.Groups["file"].Value,
            int.Parse(m.Groups["line"].Value),
            int.Parse(m.Groups["column"].Value),
            m.Groups["severity"].Value,
            m.Groups["id"].Value,
            m.Groups["message"].Value))
        .Distinct()
        .ToList();

    public override string ToString() => $"{System.IO.Path.GetFileName(File)}({Line},{Column}): {Severity} {Id}: {Message}";
}
