using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace QueryGuard.Rules;

/// <summary>
/// QG0002: a QueryGuard finding suppressed without saying why. A deliberate broad operation (a nightly purge, a
/// migration) is fine; a suppression with no reason is indistinguishable from an accident. A reason is a comment
/// on the <c>#pragma warning disable</c> line, or a non-empty <c>Justification</c> (Visual Studio's
/// <c>"&lt;Pending&gt;"</c> placeholder is not a reason). No code fix: a reason is for a person to write.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SuppressionReasonAnalyzer : DiagnosticAnalyzer
{
    private const string PendingPlaceholder = "<Pending>";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.SuppressionWithoutReason);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxTreeAction(AnalyzePragmas);
        context.RegisterSyntaxNodeAction(AnalyzeAttribute, SyntaxKind.Attribute);
    }

    private static void AnalyzePragmas(SyntaxTreeAnalysisContext context)
    {
        var root = context.Tree.GetRoot(context.CancellationToken);
        if (!root.ContainsDirectives)
        {
            return;
        }

        static bool IsPragma(DirectiveTriviaSyntax d) => d is PragmaWarningDirectiveTriviaSyntax;
        for (var directive = root.GetFirstDirective(IsPragma); directive is not null; directive = directive.GetNextDirective(IsPragma))
        {
            var pragma = (PragmaWarningDirectiveTriviaSyntax)directive;
            if (!pragma.DisableOrRestoreKeyword.IsKind(SyntaxKind.DisableKeyword))
            {
                continue;
            }

            var ids = pragma.ErrorCodes.OfType<IdentifierNameSyntax>().Select(c => c.Identifier.ValueText).Where(IsQueryGuardId).ToList();
            if (ids.Count == 0 || HasReasonComment(pragma))
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SuppressionWithoutReason,
                pragma.GetLocation(),
                "#pragma warning disable",
                string.Join(", ", ids),
                "add a comment after it on the same line, such as // nightly purge of expired sessions"));
        }
    }

    /// <summary>
    /// A <c>//</c> comment with some text on the pragma's own line (the only comment C# allows there: a
    /// <c>/* */</c> comment on a directive line is warning CS1696).
    /// </summary>
    private static bool HasReasonComment(PragmaWarningDirectiveTriviaSyntax pragma) =>
        pragma.DescendantTokens().SelectMany(t => t.LeadingTrivia.Concat(t.TrailingTrivia))
            .Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) && t.ToString().Substring(2).Trim().Length > 0);

    private static void AnalyzeAttribute(SyntaxNodeAnalysisContext context)
    {
        var attribute = (AttributeSyntax)context.Node;
        var name = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            _ => string.Empty,
        };

        // Cheap syntactic filter before asking the semantic model.
        if (name is not ("SuppressMessage" or "SuppressMessageAttribute" or "UnconditionalSuppressMessage" or "UnconditionalSuppressMessageAttribute")
            || attribute.ArgumentList is not { Arguments.Count: >= 2 } arguments)
        {
            return;
        }

        if (context.SemanticModel.GetTypeInfo(attribute, context.CancellationToken).Type is not INamedTypeSymbol type
            || !Driver.DriverSymbols.IsInNamespace(type, "System.Diagnostics.CodeAnalysis"))
        {
            return;
        }

        var category = Constant(context, arguments.Arguments[0].Expression);
        var checkId = Constant(context, arguments.Arguments[1].Expression);
        var id = checkId?.Split(':')[0].Trim();
        if (id is null || (!IsQueryGuardId(id) && !string.Equals(category, RuleIdentifiers.Category, StringComparison.Ordinal)))
        {
            return;
        }

        var justification = arguments.Arguments
            .Where(a => a.NameEquals?.Name.Identifier.ValueText == "Justification")
            .Select(a => Constant(context, a.Expression))
            .FirstOrDefault();
        if (justification is { } reason && reason.Trim().Length > 0 && reason.Trim() != PendingPlaceholder)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.SuppressionWithoutReason,
            attribute.GetLocation(),
            $"[{type.Name.Replace("Attribute", string.Empty)}]",
            id,
            "set Justification to why the operation is safe"));
    }

    private static string? Constant(SyntaxNodeAnalysisContext context, ExpressionSyntax expression) =>
        context.SemanticModel.GetConstantValue(expression, context.CancellationToken) is { HasValue: true, Value: string value } ? value : null;

    private static bool IsQueryGuardId(string id) =>
        id.Length == 6 && id.StartsWith("QG", StringComparison.Ordinal) && id.Skip(2).All(char.IsDigit);
}
