using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.EndToEnd;

/// <summary>
/// The [ShardKey]/[ScopeKey] source the package adds to every consumer project, compiled in process with the
/// Roslyn version the tests use (4.14, the first that accepts a project's own EmbeddedAttribute).
/// </summary>
public sealed class AttributeSourceTests
{
    private const string DocumentSource = """
        namespace Shop
        {
            [QueryGuard.ShardKey("TenantId", "Id", Hashed = true)]
            [QueryGuard.ScopeKey("TenantId")]
            public sealed class Order
            {
                public string Id { get; set; }
                public string TenantId { get; set; }
            }
        }
        """;

    private static readonly string BuildDirectory = Path.Combine(ReferenceAssemblies.RepositoryRoot, "QueryGuard.Package", "build");

    [Fact]
    public void Attributes_CompileAsCSharp73()
    {
        var compilation = Compile("Shop", LanguageVersion.CSharp7_3, embedded: false, DocumentSource);

        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Attributes_AreVisibleToTheAnalyzerByName()
    {
        var compilation = Compile("Shop", LanguageVersion.CSharp7_3, embedded: true, DocumentSource);

        var attributes = compilation.GetTypeByMetadataName("Shop.Order")!.GetAttributes();
        var shardKey = attributes.Single(a => a.AttributeClass!.ToDisplayString() == "QueryGuard.ShardKeyAttribute");
        Assert.Equal(new[] { "TenantId", "Id" }, shardKey.ConstructorArguments[0].Values.Select(v => (string)v.Value!));
        Assert.Equal(true, shardKey.NamedArguments.Single(a => a.Key == "Hashed").Value.Value);
        var scopeKey = attributes.Single(a => a.AttributeClass!.ToDisplayString() == "QueryGuard.ScopeKeyAttribute");
        Assert.Equal("TenantId", scopeKey.ConstructorArguments[0].Value);
    }

    [Fact]
    public void Attributes_LeaveNoUseInTheEmittedAssembly()
    {
        var compilation = Compile("Shop", LanguageVersion.Latest, embedded: true, DocumentSource);

        var image = Emit(compilation);
        var emitted = CSharpCompilation.Create("probe", references: ReferenceAssemblies.NetFramework.Add(image));
        var assembly = (IAssemblySymbol)emitted.GetAssemblyOrModuleSymbol(image)!;
        var type = assembly.GetTypeByMetadataName("Shop.Order")!;
        Assert.NotEmpty(type.GetMembers("TenantId"));
        Assert.DoesNotContain(type.GetAttributes(), a => a.AttributeClass!.ContainingNamespace.Name == "QueryGuard");
    }

    [Fact]
    public void EmbeddedAttributes_HideEachProjectsCopyFromProjectsThatSeeItsInternals()
    {
        // Lib lets App see its internals; both get the package's attribute source.
        var lib = Compile("Lib", LanguageVersion.Latest, embedded: true, "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"App\")]\n" + DocumentSource);
        var app = Compile("App", LanguageVersion.Latest, embedded: true, DocumentSource.Replace("Shop", "App"), Emit(lib));

        Assert.Empty(app.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void WithoutEmbedded_ProjectsThatSeeEachOthersInternalsConflict()
    {
        // Why QueryGuard.EmbeddedAttributes.cs exists. Compilers before Roslyn 4.14 do not get it and still build:
        // CS0436 is a warning (unless warnings are errors), and only where a project sees another's internals.
        var lib = Compile("Lib", LanguageVersion.Latest, embedded: false, "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"App\")]\n" + DocumentSource);
        var app = Compile("App", LanguageVersion.Latest, embedded: false, DocumentSource.Replace("Shop", "App"), Emit(lib));

        Assert.Contains(app.GetDiagnostics(), d => d.Id == "CS0436");
    }

    private static CSharpCompilation Compile(string name, LanguageVersion languageVersion, bool embedded, string source, MetadataReference? reference = null)
    {
        var options = new CSharpParseOptions(languageVersion);
        var files = embedded ? new[] { "QueryGuard.Attributes.cs", "QueryGuard.EmbeddedAttributes.cs" } : new[] { "QueryGuard.Attributes.cs" };
        var trees = files
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(Path.Combine(BuildDirectory, f)), options, f))
            .Append(CSharpSyntaxTree.ParseText(source, options, name + ".cs"));
        var references = reference is null ? ReferenceAssemblies.NetFramework : ReferenceAssemblies.NetFramework.Add(reference);
        return CSharpCompilation.Create(name, trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
    }

    private static MetadataReference Emit(CSharpCompilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        return MetadataReference.CreateFromImage(ImmutableArray.Create(stream.ToArray()));
    }
}
