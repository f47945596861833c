using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.Infrastructure;

public class RegistrationTests
{
    private const string Source = """
        public class Plain
        {
            public int Add(int a, int b) => a + b;
            public object Make() => new object();
        }
        """;

    [Theory]
    [InlineData(null, 0)]
    [InlineData(DriverVersion.V3, 1)]
    public async Task WithoutMongoDriver_NothingIsRegistered(DriverVersion? driver, int expectedOperationActions)
    {
        var project = TestProject.Create(new[] { Source }, driver);
        var compilation = (await project.GetCompilationAsync())!;
        var analyzer = TestProject.Analyzers.OfType<QueryGuard.Rules.MongoOperationAnalyzer>().Single();
        var withAnalyzers = compilation.WithAnalyzers([analyzer], new CompilationWithAnalyzersOptions(project.AnalyzerOptions, null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));

        await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);

        Assert.Equal(expectedOperationActions, telemetry.OperationActionsCount);
    }
}
