using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace QueryGuard.Driver;

/// <summary>
/// Finds the collection name behind a collection expression: the constant in <c>GetCollection&lt;T&gt;("name")</c>,
/// followed through locals, fields, properties (auto, expression-bodied, getter) and constructor assignments.
/// Members are read from their declaring syntax (a string literal or a constant of the same type as the name),
/// since an analyzer may not ask the compilation for other files' semantic models; that also keeps the
/// per-member cache independent of which file asked first.
/// </summary>
internal sealed class CollectionBinding
{
    private const int MaxDepth = 8;

    private readonly ConcurrentDictionary<ISymbol, string?> _memberNames = new(SymbolEqualityComparer.Default);

    public string? GetCollectionName(IOperation? collection, CancellationToken cancellationToken) => Resolve(collection, 0, cancellationToken);

    private string? Resolve(IOperation? operation, int depth, CancellationToken cancellationToken)
    {
        if (operation is null || depth > MaxDepth)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();

        operation = Model.FilterModelBuilder.Unwrap(operation);
        switch (operation)
        {
            case IInvocationOperation { TargetMethod.Name: "GetCollection", Arguments.Length: > 0 } getCollection:
                var name = getCollection.Arguments.FirstOrDefault(a => a.Parameter?.Name == "name")?.Value ?? getCollection.Arguments[0].Value;
                return name.ConstantValue is { HasValue: true, Value: string constant } ? constant : null;
            case IInvocationOperation { TargetMethod.Name: "OfType" or "WithReadPreference" or "WithWriteConcern" or "WithReadConcern", Instance: { } instance }:
                return Resolve(instance, depth + 1, cancellationToken);
            case ILocalReferenceOperation local:
                return ResolveLocal(local, depth, cancellationToken);
            case IFieldReferenceOperation field:
                return ResolveMember(field.Field, cancellationToken);
            case IPropertyReferenceOperation property:
                return ResolveMember(property.Property, cancellationToken);
        }

        return null;
    }

    private string? ResolveLocal(ILocalReferenceOperation local, int depth, CancellationToken cancellationToken)
    {
        var declarator = local.Local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as VariableDeclaratorSyntax;
        if (declarator?.Initializer is null || local.SemanticModel is not { } model || declarator.SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        return Resolve(model.GetOperation(declarator.Initializer.Value, cancellationToken), depth + 1, cancellationToken);
    }

    /// <summary>Cached per member; a cancelled computation throws out of the factory and is not cached.</summary>
    private string? ResolveMember(ISymbol member, CancellationToken cancellationToken)
    {
        // Looked up first: GetOrAdd's factory would capture the token, a closure allocated on every call.
        var definition = member.OriginalDefinition;
        return _memberNames.TryGetValue(definition, out var known) ? known : _memberNames.GetOrAdd(definition, ComputeMember(definition, cancellationToken));
    }

    private static string? ComputeMember(ISymbol member, CancellationToken cancellationToken)
    {
        foreach (var reference in member.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            var value = syntax switch
            {
                VariableDeclaratorSyntax { Initializer: { } initializer } => initializer.Value,
                PropertyDeclarationSyntax { Initializer: { } initializer } => initializer.Value,
                PropertyDeclarationSyntax { ExpressionBody: { } arrow } => arrow.Expression,
                PropertyDeclarationSyntax { AccessorList: { } accessors } => accessors.Accessors
                    .FirstOrDefault(a => a.IsKind(SyntaxKind.GetAccessorDeclaration)) is { } getter
                    ? getter.ExpressionBody?.Expression ?? getter.Body?.Statements.OfType<ReturnStatementSyntax>().FirstOrDefault()?.Expression
                    : null,
                _ => null,
            };

            if (value is not null && FromSyntax(value, member.ContainingType) is { } name)
            {
                return name;
            }
        }

        // Constructor assignments: _collection = database.GetCollection<T>("name");
        if (member.ContainingType is { } type)
        {
            foreach (var constructor in type.InstanceConstructors.Concat(type.StaticConstructors))
            {
                foreach (var reference in constructor.DeclaringSyntaxReferences)
                {
                    foreach (var assignment in reference.GetSyntax(cancellationToken).DescendantNodes().OfType<AssignmentExpressionSyntax>())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (AssignsTo(assignment.Left, member.Name) && FromSyntax(assignment.Right, type) is { } name)
                        {
                            return name;
                        }
                    }
                }
            }
        }

        return null;
    }

    /// <summary><c>GetCollection&lt;T&gt;("literal")</c> or <c>GetCollection&lt;T&gt;(ConstantOfThisType)</c>.</summary>
    private static string? FromSyntax(ExpressionSyntax expression, INamedTypeSymbol? containingType)
    {
        foreach (var invocation in expression.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
        {
            var isGetCollection = invocation.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Name.Identifier.Text == "GetCollection",
                SimpleNameSyntax name => name.Identifier.Text == "GetCollection",
                _ => false,
            };
            var argument = isGetCollection ? invocation.ArgumentList.Arguments.FirstOrDefault()?.Expression : null;
            switch (argument)
            {
                case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                    return literal.Token.ValueText;
                case IdentifierNameSyntax identifier when containingType is not null:
                    return containingType.GetMembers(identifier.Identifier.Text).OfType<IFieldSymbol>()
                        .FirstOrDefault(f => f.HasConstantValue)?.ConstantValue as string;
            }
        }

        return null;
    }

    private static bool AssignsTo(ExpressionSyntax left, string name) => left switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.Text == name,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var memberName } => memberName.Identifier.Text == name,
        _ => false,
    };
}
