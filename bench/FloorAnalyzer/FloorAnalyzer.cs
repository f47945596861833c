using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace QueryGuard.Bench;

/// <summary>
/// The least an analyzer can cost when it registers what <c>MongoOperationAnalyzer</c> registers: one operation
/// action for invocations and object creations, concurrent, generated code skipped, and an empty body. Whatever
/// the compiler spends calling it is the floor QueryGuard is compared with.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FloorAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new(
        "QGBENCH0", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Never);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
            start.RegisterOperationAction(static _ => { }, OperationKind.Invocation, OperationKind.ObjectCreation));
    }
}
