using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using QueryGuard.Driver;

namespace QueryGuard.CodeFixes;

/// <summary>One equality a fix adds: the document member, its stored name, and the value in scope compared with it.</summary>
internal sealed record KeyValue(ISymbol Member, string StoredName, ScopeValue Value);

/// <summary>What the filter fixes share: the document type and its id member, and key equalities in each filter style.</summary>
internal static class WriteFilterSyntax
{
    /// <summary>T of the <c>FilterDefinition&lt;T&gt;</c> or <c>Expression&lt;Func&lt;T, bool&gt;&gt;</c> the filter converts to.</summary>
    public static ITypeSymbol? DocumentType(SemanticModel model, ExpressionSyntax filter, CancellationToken cancellationToken)
    {
        var converted = model.GetTypeInfo(filter, cancellationToken).ConvertedType as INamedTypeSymbol;
        return converted switch
        {
            { Name: "FilterDefinition", TypeArguments.Length: 1 } => converted.TypeArguments[0],
            { Name: "Expression", TypeArguments.Length: 1 } when converted.TypeArguments[0] is INamedTypeSymbol { Name: "Func", TypeArguments.Length: 2 } func =>
                func.TypeArguments[0],
            _ => null,
        };
    }

    /// <summary>The member the driver maps to <c>_id</c> (the analyzer's own resolution: <c>[BsonId]</c>, then Id/id/_id, then the base class).</summary>
    public static ISymbol? IdMember(Compilation compilation, ITypeSymbol documentType)
    {
        if (DriverSymbols.TryCreate(compilation) is not { } symbols)
        {
            return null;
        }

        var names = new ElementNameResolver(symbols, NamingOptions.Default);
        for (var type = documentType as INamedTypeSymbol; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IPropertySymbol or IFieldSymbol && !member.IsStatic && !member.IsImplicitlyDeclared && names.IsIdMember(member))
                {
                    return member;
                }
            }
        }

        return null;
    }

    /// <summary>A lambda parameter name that does not capture the compared value's root name.</summary>
    public static string ParameterName(string preferred, ScopeValue value) =>
        preferred != "_" && preferred != ValuesInScope.RootName(value.Text) ? preferred : ValuesInScope.RootName(value.Text) == "x" ? "d" : "x";

    /// <summary><c>Builders&lt;T&gt;.Filter.Eq(x =&gt; x.Id, value)</c>, simplified against the file's usings.</summary>
    public static ExpressionSyntax BuildersEq(SemanticModel model, int position, ITypeSymbol documentType, ISymbol keyMember, ScopeValue value)
    {
        var parameter = ParameterName("x", value);
        var type = documentType.ToMinimalDisplayString(model, position);
        var builders = TypeName(model, position, "MongoDB.Driver", "Builders");
        return SyntaxFactory.ParseExpression($"{builders}<{type}>.Filter.Eq({parameter} => {parameter}.{keyMember.Name}, {value.Text})")
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>
    /// The shortest name that binds to <paramref name="ns"/>.<paramref name="name"/> at <paramref name="position"/>:
    /// the simple name when the file's usings bring it in, else the qualified name.
    /// </summary>
    public static string TypeName(SemanticModel model, int position, string ns, string name)
    {
        var found = model.LookupNamespacesAndTypes(position, name: name);
        return found.Length > 0 && found.All(t => t.ContainingNamespace?.ToDisplayString() == ns) ? name : "global::" + ns + "." + name;
    }

    /// <summary><c>p.Id == value</c> for a lambda whose parameter is <paramref name="parameter"/>.</summary>
    public static ExpressionSyntax LambdaEquality(string parameter, ISymbol keyMember, ScopeValue value) =>
        SyntaxFactory.ParseExpression($"{parameter}.{keyMember.Name} == {value.Text}");

    /// <summary>The lambda's single parameter name, or null for other lambdas.</summary>
    public static string? LambdaParameter(LambdaExpressionSyntax lambda) => lambda switch
    {
        SimpleLambdaExpressionSyntax simple => simple.Parameter.Identifier.ValueText,
        ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } parenthesized => parenthesized.ParameterList.Parameters[0].Identifier.ValueText,
        _ => null,
    };

    /// <summary>Whether the value can be stored in a <c>BsonValue</c> by an implicit conversion (for one more BsonDocument element).</summary>
    public static bool ConvertsToBsonValue(Compilation compilation, ITypeSymbol type)
    {
        var bsonValue = compilation.GetTypeByMetadataName("MongoDB.Bson.BsonValue");
        return bsonValue is not null && compilation.ClassifyCommonConversion(type, bsonValue).IsImplicit;
    }

    public static bool IsBsonDocumentCreation(SemanticModel model, ExpressionSyntax filter, CancellationToken cancellationToken) =>
        filter is ObjectCreationExpressionSyntax
        && model.GetTypeInfo(filter, cancellationToken).Type is { Name: "BsonDocument", ContainingNamespace: { } ns } && ns.ToDisplayString() == "MongoDB.Bson";

    /// <summary>Wraps an operand in parentheses when <c>&amp;</c> or <c>&amp;&amp;</c> would bind into it.</summary>
    public static ExpressionSyntax Operand(ExpressionSyntax expression, SyntaxKind joiningOperator) => expression switch
    {
        InvocationExpressionSyntax or MemberAccessExpressionSyntax or IdentifierNameSyntax or ObjectCreationExpressionSyntax
            or ParenthesizedExpressionSyntax or LiteralExpressionSyntax or PrefixUnaryExpressionSyntax => expression,
        BinaryExpressionSyntax binary when binary.IsKind(joiningOperator) || BindsTighter(binary, joiningOperator) => expression,
        _ => SyntaxFactory.ParenthesizedExpression(expression.WithoutTrivia()).WithTriviaFrom(expression),
    };

    /// <summary>Comparisons bind tighter than <c>&amp;&amp;</c>; between filters, <c>&amp;</c> only meets <c>&amp;</c> and <c>|</c>.</summary>
    private static bool BindsTighter(BinaryExpressionSyntax binary, SyntaxKind joiningOperator) =>
        joiningOperator == SyntaxKind.LogicalAndExpression
        && binary.Kind() is SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression or SyntaxKind.LessThanExpression
            or SyntaxKind.LessThanOrEqualExpression or SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression
            or SyntaxKind.BitwiseAndExpression;

    /// <summary>
    /// The filter with equalities on <paramref name="keys"/> added in its own style: <c>&amp;&amp; x.Key == value</c> in a
    /// lambda, one more argument of a written-out <c>And(...)</c>, one more element of a <c>BsonDocument</c>, else
    /// <c>&amp; Builders&lt;T&gt;.Filter.Eq(...)</c>. Null when a value cannot be written in that style (it would capture
    /// the lambda's parameter, or does not convert to a BsonValue).
    /// </summary>
    public static ExpressionSyntax? WithKeyEqualities(SemanticModel model, ExpressionSyntax filter, ITypeSymbol documentType, IReadOnlyList<KeyValue> keys, CancellationToken cancellationToken)
    {
        switch (filter)
        {
            case LambdaExpressionSyntax { ExpressionBody: { } body } lambda when LambdaParameter(lambda) is { } parameter:
                if (keys.Any(k => parameter == ValuesInScope.RootName(k.Value.Text)))
                {
                    return null;
                }

                ExpressionSyntax condition = Operand(body, SyntaxKind.LogicalAndExpression);
                foreach (var key in keys)
                {
                    condition = SyntaxFactory.BinaryExpression(SyntaxKind.LogicalAndExpression, condition, LambdaEquality(parameter, key.Member, key.Value));
                }

                return lambda.WithExpressionBody(condition.WithAdditionalAnnotations(Formatter.Annotation));

            case ObjectCreationExpressionSyntax creation when IsBsonDocumentCreation(model, creation, cancellationToken):
                if (keys.Any(k => !ConvertsToBsonValue(model.Compilation, k.Value.Type))
                    || creation.Initializer is { } existing && !existing.IsKind(SyntaxKind.CollectionInitializerExpression))
                {
                    return null;
                }

                var initializer = creation.Initializer ?? SyntaxFactory.InitializerExpression(SyntaxKind.CollectionInitializerExpression);
                foreach (var key in keys)
                {
                    var element = SyntaxFactory.ParseExpression($"new X {{ {{ \"{key.StoredName}\", {key.Value.Text} }} }}")
                        .DescendantNodes().OfType<InitializerExpressionSyntax>().First(i => i.IsKind(SyntaxKind.ComplexElementInitializerExpression));
                    initializer = initializer.AddExpressions(element);
                }

                return creation
                    .WithArgumentList(creation.ArgumentList?.WithoutTrailingTrivia())
                    .WithInitializer(initializer)
                    .WithAdditionalAnnotations(Formatter.Annotation);

            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "And" } } andCall
                when model.GetSymbolInfo(andCall, cancellationToken).Symbol is IMethodSymbol { ContainingType.Name: "FilterDefinitionBuilder", Parameters.Length: 1 } andMethod
                    && andMethod.Parameters[0].IsParams
                    && andCall.ArgumentList.Arguments.All(a => a.NameColon is null):
                // And(a, b) written out: one more argument per key.
                return andCall.WithArgumentList(andCall.ArgumentList.AddArguments(
                    keys.Select(k => SyntaxFactory.Argument(BuildersEq(model, filter.SpanStart, documentType, k.Member, k.Value))).ToArray()));

            default:
                ExpressionSyntax combined = Operand(filter.WithoutTrivia(), SyntaxKind.BitwiseAndExpression);
                foreach (var key in keys)
                {
                    combined = SyntaxFactory.BinaryExpression(SyntaxKind.BitwiseAndExpression, combined, BuildersEq(model, filter.SpanStart, documentType, key.Member, key.Value));
                }

                return combined.WithTriviaFrom(filter).WithAdditionalAnnotations(Formatter.Annotation);
        }
    }
}
