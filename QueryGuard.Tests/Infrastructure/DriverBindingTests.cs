using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.Infrastructure;

/// <summary>The test compilations bind to the real MongoDB.Driver.dll, with the stand-ins resolving its references.</summary>
public class DriverBindingTests
{
    private const string Source = """
        using MongoDB.Bson;
        using MongoDB.Driver;

        public class Session { public string Id { get; set; } = ""; }

        public class Repository
        {
            private readonly IMongoCollection<Session> _sessions;
            public Repository(IMongoDatabase db) => _sessions = db.GetCollection<Session>("sessions");

            public void Purge() => _sessions.DeleteMany(new BsonDocument());
            public void PurgeLambda() => _sessions.DeleteMany(x => x.Id == "a");
        }
        """;

    [Theory]
    [InlineData(DriverVersion.V3, "3.14.0.0")]
    [InlineData(DriverVersion.V2, "2.22.0.0")]
    public async Task BsonDocumentFilter_BindsToTheDriversInterfaceMethod(DriverVersion driver, string expectedVersion)
    {
        var project = TestProject.Create(new[] { Source }, driver);
        var compilation = (await project.GetCompilationAsync())!;

        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var calls = tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Where(i => i.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "DeleteMany" })
            .Select(i => (IMethodSymbol)model.GetSymbolInfo(i).Symbol!)
            .ToList();

        // DeleteMany(new BsonDocument()) goes through FilterDefinition<T>'s implicit conversion to the interface method.
        var documentOverload = calls[0];
        Assert.Equal("MongoDB.Driver.IMongoCollection<TDocument>", documentOverload.OriginalDefinition.ContainingType.ToDisplayString());
        Assert.Equal("MongoDB.Driver", documentOverload.ContainingAssembly.Name);
        Assert.Equal(expectedVersion, documentOverload.ContainingAssembly.Identity.Version.ToString());
        var conversion = model.GetConversion(tree.GetRoot().DescendantNodes().OfType<ObjectCreationExpressionSyntax>().Single());
        Assert.True(conversion.IsUserDefined);
        Assert.Equal("MongoDB.Bson", conversion.MethodSymbol!.Parameters[0].Type.ContainingAssembly.Name);

        // The lambda binds to the IMongoCollectionExtensions overload (reference §2.10).
        Assert.Equal("MongoDB.Driver.IMongoCollectionExtensions", (calls[1].ReducedFrom ?? calls[1]).ContainingType.ToDisplayString());
    }

    [Fact]
    public void BsonStandIn_HasTheIdentityTheDriverReferences()
    {
        var references = ReferenceAssemblies.For(DriverVersion.V3);
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("probe", references: references);
        var bson = compilation.References.Select(compilation.GetAssemblyOrModuleSymbol).OfType<IAssemblySymbol>().Single(a => a.Name == "MongoDB.Bson");
        var driver = compilation.References.Select(compilation.GetAssemblyOrModuleSymbol).OfType<IAssemblySymbol>().Single(a => a.Name == "MongoDB.Driver");
        var expected = driver.Modules.Single().ReferencedAssemblies.Single(a => a.Name == "MongoDB.Bson");

        Assert.Equal(expected.Version, bson.Identity.Version);
        Assert.Equal(expected.PublicKeyToken.ToArray(), bson.Identity.PublicKeyToken.ToArray());
        Assert.NotEmpty(bson.Identity.PublicKeyToken);
    }
}
