using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace QueryGuard.CodeFixes;

/// <summary>
/// Base of QueryGuard's code fixes: Fix All through the batch fixer, one equivalence key per kind of action
/// (so Fix All applies the same choice everywhere), and the node a diagnostic points at.
/// </summary>
public abstract class QueryGuardCodeFixProvider : CodeFixProvider
{
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            await RegisterFixesAsync(context, diagnostic, node).ConfigureAwait(false);
        }
    }

    /// <summary>Offer the fixes for one diagnostic; <paramref name="node"/> is the reported filter or operation.</summary>
    protected abstract Task RegisterFixesAsync(CodeFixContext context, Diagnostic diagnostic, SyntaxNode node);

    protected static CodeAction CreateAction(string title, string equivalenceKey, System.Func<CancellationToken, Task<Document>> createChangedDocument) =>
        CodeAction.Create(title, createChangedDocument, equivalenceKey);

    protected static ImmutableArray<string> Ids(params string[] ids) => ImmutableArray.Create(ids);

    /// <summary>The document with <paramref name="node"/> replaced (formatter annotations on the replacement apply).</summary>
    protected static async Task<Document> ReplaceNodeAsync(Document document, SyntaxNode node, SyntaxNode replacement, CancellationToken cancellationToken)
    {
        var editor = await Microsoft.CodeAnalysis.Editing.DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        editor.ReplaceNode(node, replacement);
        return editor.GetChangedDocument();
    }
}
