using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.EndToEnd;

/// <summary>The QueryGuard nupkg as <c>dotnet pack</c> produces it: what it holds and what its nuspec declares.</summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class PackageLayoutTests
{
    /// <summary>The whole payload: the two analyzer assemblies, the MSBuild wiring and the baseline tool, nothing for lib/ or ref/.</summary>
    private static readonly string[] ExpectedFiles =
    {
        "README.md",
        "analyzers/dotnet/cs/QueryGuard.Analyzers.dll",
        "analyzers/dotnet/cs/QueryGuard.CodeFixes.dll",
        "build/QueryGuard.Attributes.cs",
        "build/QueryGuard.EmbeddedAttributes.cs",
        "build/QueryGuard.props",
        "build/QueryGuard.targets",
        "buildTransitive/QueryGuard.props",
        "buildTransitive/QueryGuard.targets",
        "configuration/QueryGuard.none.globalconfig",
        "configuration/QueryGuard.strict.globalconfig",
        "tools/QueryGuard.Baseline.deps.json",
        "tools/QueryGuard.Baseline.dll",
        "tools/QueryGuard.Baseline.runtimeconfig.json",
    };

    /// <summary>Assemblies the analyzers may reference because every C# compiler host provides them.</summary>
    private static readonly Regex HostProvidedAssembly = new(@"^(netstandard|mscorlib|System\.Collections\.Immutable|System\.Reflection\.Metadata|System\.Composition\..+|Microsoft\.CodeAnalysis(\.CSharp)?(\.Workspaces)?)$");

    private readonly PackedQueryGuard _package;

    public PackageLayoutTests(PackedQueryGuard package) => _package = package;

    [Fact]
    public void Package_HoldsTheAnalyzersAndBuildAssetsOnly()
    {
        using var zip = ZipFile.OpenRead(_package.PackagePath);
        var payload = zip.Entries
            .Select(e => e.FullName)
            .Where(name => !IsPackagingMetadata(name))
            .OrderBy(name => name, StringComparer.Ordinal);

        Assert.Equal(ExpectedFiles.OrderBy(name => name, StringComparer.Ordinal), payload);
    }

    [Fact]
    public void Package_PacksNoAssemblyButQueryGuardsOwn()
    {
        using var zip = ZipFile.OpenRead(_package.PackagePath);
        var assemblies = zip.Entries.Where(e => e.FullName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(
            new[] { "analyzers/dotnet/cs/QueryGuard.Analyzers.dll", "analyzers/dotnet/cs/QueryGuard.CodeFixes.dll", "tools/QueryGuard.Baseline.dll" },
            assemblies.Select(e => e.FullName).OrderBy(n => n, StringComparer.Ordinal));

        // And the packed analyzers need nothing that is not packed or provided by the compiler.
        var analyzers = assemblies.Where(e => e.FullName.StartsWith("analyzers/", StringComparison.Ordinal)).ToList();
        var packedNames = analyzers.Select(e => Path.GetFileNameWithoutExtension(e.Name)).ToHashSet();
        foreach (var entry in analyzers)
        {
            foreach (var reference in ReadAssemblyReferences(entry))
            {
                Assert.True(
                    packedNames.Contains(reference) || HostProvidedAssembly.IsMatch(reference),
                    $"{entry.FullName} references {reference}, which is neither packed nor provided by the compiler.");
            }
        }

        // The baseline tool runs on the shared framework alone (System.Text.Json is part of it).
        var tool = assemblies.Single(e => e.FullName == "tools/QueryGuard.Baseline.dll");
        Assert.All(ReadAssemblyReferences(tool), reference => Assert.Matches(@"^(System(\..+)?|netstandard|mscorlib)$", reference));
    }

    [Fact]
    public void BaselineTool_RollsForwardToTheRuntimeOfTheBuild()
    {
        using var zip = ZipFile.OpenRead(_package.PackagePath);
        using var stream = zip.GetEntry("tools/QueryGuard.Baseline.runtimeconfig.json")!.Open();
        using var document = System.Text.Json.JsonDocument.Parse(stream);
        var options = document.RootElement.GetProperty("runtimeOptions");

        Assert.Equal("Major", options.GetProperty("rollForward").GetString());
        Assert.Equal("net8.0", options.GetProperty("tfm").GetString());
    }

    [Fact]
    public void Nuspec_DeclaresADevelopmentDependencyWithItsMetadata()
    {
        var metadata = ReadNuspecMetadata();
        string Value(string name) => metadata.Element(metadata.Name.Namespace + name)?.Value ?? "";

        Assert.Equal("QueryGuard", Value("id"));
        Assert.Equal(RepositoryVersion(), Value("version"));
        Assert.Equal("true", Value("developmentDependency"));
        Assert.Equal("README.md", Value("readme"));

        var license = metadata.Element(metadata.Name.Namespace + "license");
        Assert.NotNull(license);
        Assert.Equal("expression", license!.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);

        var repository = metadata.Element(metadata.Name.Namespace + "repository");
        Assert.NotNull(repository);
        Assert.Equal("git", repository!.Attribute("type")?.Value);
        Assert.Equal("https://github.com/queryguard/queryguard", repository.Attribute("url")?.Value);

        Assert.Contains("AnalyzerReleases", Value("releaseNotes"), StringComparison.Ordinal);

        // Nothing flows to the consumer's dependency graph.
        Assert.Null(metadata.Element(metadata.Name.Namespace + "dependencies"));
    }

    private static bool IsPackagingMetadata(string name) =>
        name is "[Content_Types].xml" || name.StartsWith("_rels/", StringComparison.Ordinal) ||
        name.StartsWith("package/", StringComparison.Ordinal) || name.EndsWith(".nuspec", StringComparison.Ordinal);

    private XElement ReadNuspecMetadata()
    {
        using var zip = ZipFile.OpenRead(_package.PackagePath);
        var nuspec = zip.Entries.Single(e => e.FullName == "QueryGuard.nuspec");
        using var stream = nuspec.Open();
        var document = XDocument.Load(stream);
        return document.Root!.Element(document.Root.Name.Namespace + "metadata")!;
    }

    private static string RepositoryVersion()
    {
        var props = File.ReadAllText(Path.Combine(ReferenceAssemblies.RepositoryRoot, "Directory.Build.props"));
        return Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;
    }

    private static IReadOnlyList<string> ReadAssemblyReferences(ZipArchiveEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(buffer);
        }

        buffer.Position = 0;
        using var pe = new PEReader(buffer);
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToList();
    }
}
