using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using QueryGuard.Driver;

namespace QueryGuard.Rules;

/// <summary>
/// The one walk over MongoDB operations. Recognising an operation and modelling its filter are done once here;
/// the rule families (<see cref="UnscopedWriteRules"/>, <see cref="BroadcastRules"/>) are plain functions over
/// that model. One analyzer rather than one per family so the model is built once per filter and so the
/// "one finding per filter" precedence of RULES.md can be applied across families.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MongoOperationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.WriteMatchesEveryDocument,
        Descriptors.WriteFilterEmptyOnSomePath,
        Descriptors.WriteFilterOnlyExcludes,
        Descriptors.WriteComparesWithNull,
        Descriptors.SingleWriteDoesNotIdentifyDocument,
        Descriptors.WriteDoesNotPinScopeKey,
        Descriptors.OperationOmitsShardKey,
        Descriptors.ShardKeyConditionCannotTarget,
        Descriptors.OrBranchOmitsShardKey,
        Descriptors.UpsertWithoutFullShardKey,
        Descriptors.MultiWriteSpansShards);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var queryGuard = QueryGuardCompilation.TryCreate(start.Compilation, NamingOptions.Default);
            if (queryGuard is null)
            {
                // MongoDB.Driver is not referenced: nothing to analyse.
                return;
            }

            start.RegisterOperationAction(
                operationContext => AnalyzeOperation(operationContext, queryGuard),
                OperationKind.Invocation,
                OperationKind.ObjectCreation);
        });
    }

    private static void AnalyzeOperation(OperationAnalysisContext context, QueryGuardCompilation queryGuard)
    {
        var operation = queryGuard.Operations.Recognize(context.Operation);
        if (operation?.Filter is null)
        {
            return;
        }

        var filter = queryGuard.Filters.Build(operation.Filter, operation.DocumentType, context.CancellationToken);
        var collectionName = operation.CollectionName
            ?? queryGuard.Collections.GetCollectionName(operation.Collection)
            ?? operation.DocumentType.Name;
        var facts = new OperationFacts(operation, filter, collectionName);

        var findings = new List<Diagnostic>();
        findings.AddRange(UnscopedWriteRules.Evaluate(facts));
        findings.AddRange(BroadcastRules.Evaluate(facts));
        foreach (var diagnostic in ApplyPrecedence(findings))
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>
    /// One finding per filter (RULES.md): an unscoped write (QG1001-QG1003) is also a broadcast, but the
    /// unscoped write is the finding that matters, so QG2001-QG2003 are dropped for it.
    /// </summary>
    internal static IEnumerable<Diagnostic> ApplyPrecedence(IReadOnlyList<Diagnostic> findings)
    {
        var unscoped = findings.Any(d => d.Id is RuleIdentifiers.WriteMatchesEveryDocument or RuleIdentifiers.WriteFilterEmptyOnSomePath or RuleIdentifiers.WriteFilterOnlyExcludes);
        return unscoped
            ? findings.Where(d => d.Id is not (RuleIdentifiers.OperationOmitsShardKey or RuleIdentifiers.ShardKeyConditionCannotTarget or RuleIdentifiers.OrBranchOmitsShardKey))
            : findings;
    }
}
