using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using QueryGuard.Baseline;
using QueryGuard.Configuration;
using QueryGuard.Driver;

namespace QueryGuard.Rules;

/// <summary>
/// QG0001: <c>queryguard.json</c>, <c>*.shardkeys.json</c>, <c>queryguard.baseline.json</c> or a <c>[ShardKey]</c>/<c>[ScopeKey]</c> attribute that
/// cannot be used, reported where the problem is written. The offending entry is ignored; the rest still applies.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConfigurationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.InvalidConfiguration);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Without MongoDB.Driver and without a configuration file there is nothing to check: bail out before
            // loading the configuration (a compilation that never uses QueryGuard should cost it nothing).
            // The rest is in its own method, so that such a project runs (and has the JIT compile) only this check.
            var referencesDriver = DriverSymbols.IsReferenced(start.Compilation);
            if (referencesDriver || HasConfigurationFile(start.Options.AdditionalFiles))
            {
                RegisterActions(start, referencesDriver);
            }
        });
    }

    private static void RegisterActions(CompilationStartAnalysisContext start, bool referencesDriver)
    {
        // Reading the files happens here; the checks against the compilation (do the named types exist?) and the
        // driver's symbols wait for the first callback that needs them (MongoOperationAnalyzer.LazyCompilation).
        var compilation = start.Compilation;
        var configuration = QueryGuardConfiguration.Load(start.Options, start.TryGetValue, start.CancellationToken);
        // queryguard.baseline.json that cannot be read is reported the same way (its readable entries still apply).
        var fileErrors = configuration.Errors.AddRange(BaselineFile.Load(start.Options, start.TryGetValue, start.CancellationToken).Errors);
        var errors = new Lazy<ImmutableArray<ConfigurationError>>(
            () => fileErrors.AddRange(configuration.CheckAgainst(compilation)), LazyThreadSafetyMode.ExecutionAndPublication);
        start.RegisterAdditionalFileAction(file =>
        {
            foreach (var error in errors.Value)
            {
                if (error.Path == file.AdditionalFile.Path)
                {
                    file.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidConfiguration, error.ToLocation(), error.Message));
                }
            }
        });

        if (referencesDriver)
        {
            var queryGuard = MongoOperationAnalyzer.LazyCompilation(compilation, configuration);
            start.RegisterSymbolAction(
                symbol =>
                {
                    if (queryGuard.Value is { } resolved)
                    {
                        AnalyzeDocumentType(symbol, resolved);
                    }
                },
                SymbolKind.NamedType);
        }
    }

    private static bool HasConfigurationFile(ImmutableArray<AdditionalText> files)
    {
        foreach (var file in files)
        {
            if (QueryGuardConfiguration.IsConfigurationFile(file.Path) || QueryGuardConfiguration.IsExportFile(file.Path))
            {
                return true;
            }
        }

        return false;
    }

    private static void AnalyzeDocumentType(SymbolAnalysisContext context, QueryGuardCompilation queryGuard)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (queryGuard.Attributes.Get(type) is not { } declared)
        {
            return;
        }

        foreach (var (attribute, message) in declared.Errors)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidConfiguration, Where(attribute, type), message));
        }

        // The same collection declared by a file and by attributes must agree (only a declaration that could be
        // read: a member that does not exist is already reported above).
        if (declared.Errors.IsEmpty && declared.Declaration is { ShardKey: { } attributeKey } && queryGuard.Configuration.Find(null, type) is { ShardKey: { } fileKey } fileDeclaration
            && !attributeKey.Equals(fileKey))
        {
            var attribute = type.GetAttributes().First(a => a.AttributeClass?.Name == AttributeDeclarations.ShardKeyAttributeName);
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.InvalidConfiguration,
                Where(attribute, type),
                $"[ShardKey] on '{type.Name}' ({attributeKey.Display}) conflicts with the shard key of '{fileDeclaration.DisplayName}' in {QueryGuardConfiguration.FileName} ({fileKey.Display})"));
        }
    }

    private static Location Where(AttributeData attribute, ISymbol type) =>
        attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? type.Locations.FirstOrDefault() ?? Location.None;
}
