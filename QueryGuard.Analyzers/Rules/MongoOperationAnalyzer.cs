using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using QueryGuard.Baseline;
using QueryGuard.Configuration;
using QueryGuard.Driver;
using QueryGuard.Flow;

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

        // Generated code is skipped in AnalyzeOperation (context.IsGeneratedCode), not by the driver: with
        // GeneratedCodeAnalysisFlags.None the driver checks every reported diagnostic's location against the
        // [GeneratedCode] symbols of its file, a walk over the whole file's syntax the first time a file gets a
        // finding. A finding here is always at the operation being analysed, so the check at the operation is the
        // same answer without that walk (bench/README.md: it was a quarter of this analyzer's time).
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            // Without MongoDB.Driver there is nothing to analyse. The rest is in its own method, so that a project
            // without the driver runs (and has the JIT compile) this check and nothing more: QG's whole cost there.
            if (DriverSymbols.IsReferenced(start.Compilation))
            {
                RegisterActions(start);
            }
        });
    }

    private static void RegisterActions(CompilationStartAnalysisContext start)
    {
        // The files are read here; the driver's symbols are resolved at the first operation (see LazyCompilation).
        var configuration = QueryGuardConfiguration.Load(start.Options, start.TryGetValue, start.CancellationToken);
        var queryGuard = LazyCompilation(start.Compilation, configuration);

        // A build that records the baseline (-p:QueryGuardUpdateBaseline=true) must see every finding.
        var baseline = BaselineFile.IsUpdating(start.Options)
            ? BaselineFile.Empty
            : BaselineFile.Load(start.Options, start.TryGetValue, start.CancellationToken);

        start.RegisterOperationAction(
            operationContext =>
            {
                if (queryGuard.Value is { } resolved)
                {
                    AnalyzeOperation(operationContext, resolved, baseline);
                }
            },
            OperationKind.Invocation,
            OperationKind.ObjectCreation);
    }

    /// <summary>
    /// The per-compilation state, created by the first callback that needs it rather than at compilation start:
    /// the first symbol lookup by metadata name makes the compiler bind every reference and declare every source
    /// file. By the first operation the compiler has done that for itself; at compilation start QueryGuard would do it
    /// (and be charged for it). Null when the driver's types are not found. Created once (callbacks that arrive
    /// meanwhile wait rather than repeat the lookups); the factory takes no cancellation token and does not throw.
    /// </summary>
    internal static Lazy<QueryGuardCompilation?> LazyCompilation(Compilation compilation, QueryGuardConfiguration configuration) =>
        new(() => DriverSymbols.TryCreate(compilation) is { } symbols ? QueryGuardCompilation.Create(symbols, configuration) : null, LazyThreadSafetyMode.ExecutionAndPublication);

    private static void AnalyzeOperation(OperationAnalysisContext context, QueryGuardCompilation queryGuard, BaselineFile baseline)
    {
        if (context.IsGeneratedCode)
        {
            return;
        }

        var operation = queryGuard.Operations.Recognize(context.Operation);
        if (operation is null)
        {
            return;
        }

        var boundName = operation.CollectionName ?? queryGuard.Collections.GetCollectionName(operation.Collection, context.CancellationToken);
        var declaration = queryGuard.FindDeclaration(boundName, operation.DocumentType);

        // Every rule about reads needs a declared shard key (the unscoped-write rules and QG1006 are about writes):
        // a read on any other collection cannot produce a finding, so its filter is not modelled at all.
        if (!operation.Kind.IsWrite() && declaration?.ShardKey is null)
        {
            return;
        }

        // Filters held in locals or lists are followed through the method's control flow; helper results need only
        // the helper's own summary, not this method's graph.
        var builder = NeedsFlow(operation, queryGuard.Symbols) switch
        {
            FlowNeed.Graph => queryGuard.Filters.With(queryGuard.Flow.For(operation.Operation, context.GetControlFlowGraph(), context.CancellationToken)),
            FlowNeed.Helpers => queryGuard.Filters.With(queryGuard.Flow.For(operation.Operation, graph: null, context.CancellationToken)),
            _ => queryGuard.Filters,
        };

        // No filter (an Aggregate whose first stage is not $match) means every document.
        var filter = operation.Filter is null
            ? Model.Filter.Empty
            : builder.Build(operation.Filter, operation.DocumentType, context.CancellationToken);
        if (!operation.MoreFilters.IsEmpty)
        {
            filter = WithMoreFilters(filter, operation, builder, context.CancellationToken);
        }

        var collectionName = boundName ?? declaration?.Name ?? operation.DocumentType.Name;
        var fingerprint = Fingerprint.Seed(context.ContainingSymbol, operation.DisplayName, collectionName, operation.Filter?.Syntax ?? operation.Operation.Syntax);
        var facts = new OperationFacts(operation, filter, collectionName, declaration, queryGuard.Configuration.MinServerVersion, queryGuard.Names, fingerprint);

        var findings = new List<Diagnostic>();
        findings.AddRange(UnscopedWriteRules.Evaluate(facts));
        findings.AddRange(EmptyOnSomePathRules.Evaluate(facts));
        findings.AddRange(BroadcastRules.Evaluate(facts));
        foreach (var diagnostic in ApplyPrecedence(findings, declaration))
        {
            // Findings recorded in queryguard.baseline.json are accepted for now (docs/baseline.md).
            if (baseline.Count > 0 && diagnostic.Properties.TryGetValue(Fingerprint.Property, out var print) && baseline.Contains(diagnostic.Id, print))
            {
                continue;
            }

            context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>
    /// The filter ANDed with the operation's further filters (a lambda in AnalyzeOperation would capture its
    /// parameters, and C# allocates that closure on entry: for every invocation in the compilation).
    /// </summary>
    private static Model.FilterNode WithMoreFilters(Model.FilterNode filter, MongoOperation operation, Model.FilterModelBuilder builder, CancellationToken cancellationToken)
    {
        var operands = new Model.FilterNode[operation.MoreFilters.Length + 1];
        operands[0] = filter;
        for (var i = 0; i < operation.MoreFilters.Length; i++)
        {
            operands[i + 1] = builder.Build(operation.MoreFilters[i], operation.DocumentType, cancellationToken);
        }

        return Model.Filter.And(operands);
    }

    internal enum FlowNeed
    {
        None,
        Helpers,
        Graph,
    }

    /// <summary>
    /// What the filter builder may ask the flow analysis (the one expensive step, since it needs the method's control
    /// flow graph): a local of a type the flow analysis follows (a filter, a predicate expression, a BsonDocument or a
    /// list of filters; <see cref="FilterFlowAnalysis.TrackedType(ITypeSymbol?, DriverSymbols)"/>), or a call to a
    /// method of the compilation (a helper whose summary is cached per method). Inside a lambda the builder reads
    /// values as values, so nothing there counts; nor does a local of any other type (<c>string id</c>, a
    /// <c>FilterDefinitionBuilder</c>, a list of ids): the analysis never holds a value for it, so the graph would
    /// answer "unknown", as the builder does without it. With only helper calls, the helpers-only resolver gives the
    /// same answer without the graph. The later predicates of a LINQ chain are asked about too.
    /// </summary>
    internal static FlowNeed NeedsFlow(MongoOperation operation, DriverSymbols symbols)
    {
        var need = operation.Filter is { } filter ? NeedsFlow(filter, symbols) : FlowNeed.None;
        for (var i = 0; i < operation.MoreFilters.Length && need != FlowNeed.Graph; i++)
        {
            need = Max(need, NeedsFlow(operation.MoreFilters[i], symbols));
        }

        return need;
    }

    private static FlowNeed NeedsFlow(IOperation operation, DriverSymbols symbols)
    {
        switch (operation)
        {
            case IAnonymousFunctionOperation:
                return FlowNeed.None;
            case ILocalReferenceOperation { Local.Type: var type }:
                return FilterFlowAnalysis.TrackedType(type, symbols) is not null ? FlowNeed.Graph : FlowNeed.None;
        }

        var need = operation is IInvocationOperation { TargetMethod: var method } && method.DeclaringSyntaxReferences.Length > 0
            ? FlowNeed.Helpers
            : FlowNeed.None;
        foreach (var child in operation.ChildOperations)
        {
            need = Max(need, NeedsFlow(child, symbols));
            if (need == FlowNeed.Graph)
            {
                break;
            }
        }

        return need;
    }

    private static FlowNeed Max(FlowNeed a, FlowNeed b) => a > b ? a : b;

    /// <summary>
    /// One finding per filter (RULES.md): an unscoped write (QG1001-QG1003) is also a broadcast and unscoped by
    /// tenant, but the unscoped write is the finding that matters, so QG2001-QG2004 and QG1006 are dropped for it;
    /// and a write missing its scope key does not also get QG2001 when the scope key is the shard key.
    /// </summary>
    internal static IEnumerable<Diagnostic> ApplyPrecedence(IReadOnlyList<Diagnostic> findings, CollectionDeclaration? declaration)
    {
        if (findings.Count < 2)
        {
            // Precedence is between findings: one alone always stands (most sites have none or one).
            return findings;
        }

        var unscoped = false;
        var missesScopeKey = false;
        foreach (var finding in findings)
        {
            unscoped |= finding.Id is RuleIdentifiers.WriteMatchesEveryDocument or RuleIdentifiers.WriteFilterEmptyOnSomePath or RuleIdentifiers.WriteFilterOnlyExcludes;
            missesScopeKey |= finding.Id == RuleIdentifiers.WriteDoesNotPinScopeKey;
        }

        var scopeIsShardKey = missesScopeKey && declaration?.ScopeKey is { } scope && declaration.ShardKey?.Leading.Path == scope;
        var kept = new List<Diagnostic>(findings.Count);
        foreach (var finding in findings)
        {
            var dropped = (unscoped && finding.Id is RuleIdentifiers.OperationOmitsShardKey or RuleIdentifiers.ShardKeyConditionCannotTarget or RuleIdentifiers.OrBranchOmitsShardKey
                    or RuleIdentifiers.UpsertWithoutFullShardKey or RuleIdentifiers.WriteDoesNotPinScopeKey)
                || (scopeIsShardKey && finding.Id == RuleIdentifiers.OperationOmitsShardKey);
            if (!dropped)
            {
                kept.Add(finding);
            }
        }

        return kept;
    }
}
