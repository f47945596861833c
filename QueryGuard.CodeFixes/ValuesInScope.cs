using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace QueryGuard.CodeFixes;

/// <summary>A value in scope that can be compared with a key field: its source text and how good a match it is.</summary>
internal sealed record ScopeValue(string Text, ITypeSymbol Type, int Rank);

/// <summary>
/// Finds values in scope at a write that fit a key field by name and type (RULES.md, code fixes): locals and
/// parameters, properties of in-scope objects (<c>session.Id</c>, <c>request.SessionId</c>), and fields or
/// properties of <c>this</c>. Names match the field's member name, optionally combined with the document type's
/// name (<c>id</c>, <c>sessionId</c>, <c>idSession</c>, <c>_sessionId</c>).
/// </summary>
internal static class ValuesInScope
{
    public static IReadOnlyList<ScopeValue> Find(SemanticModel model, int position, ITypeSymbol documentType, ISymbol keyMember, string? storedName = null)
    {
        var keyType = keyMember switch
        {
            IPropertySymbol property => property.Type,
            IFieldSymbol field => field.Type,
            _ => null,
        };
        if (keyType is null)
        {
            return Array.Empty<ScopeValue>();
        }

        var names = AcceptedNames(documentType.Name, keyMember.Name);

        // workspaceId names Workspace._id only when Workspace has no WorkspaceId member of its own.
        foreach (var other in documentType.GetMembers().Where(m => m is IPropertySymbol or IFieldSymbol && !SymbolEqualityComparer.Default.Equals(m, keyMember)))
        {
            if (!string.Equals(other.Name, keyMember.Name, StringComparison.OrdinalIgnoreCase))
            {
                names.Remove(other.Name);
            }
        }
        if (storedName is not null && storedName != "_id")
        {
            // The stored name is a name too: a value called idWorkspace fits a member stored as idWorkspace.
            names.Add(storedName);
        }

        var member = model.GetEnclosingSymbol(position);
        while (member is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            member = member.ContainingSymbol;
        }

        var isStaticContext = member?.IsStatic ?? true;
        var results = new List<ScopeValue>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (var symbol in model.LookupSymbols(position))
        {
            switch (symbol)
            {
                case ILocalSymbol local when DeclaredBefore(local, position):
                    Consider(local.Name, local.Type, 0, names);
                    ConsiderMembersOf(local.Name, local.Type);
                    break;
                case IParameterSymbol parameter:
                    Consider(parameter.Name, parameter.Type, 0, names);
                    ConsiderMembersOf(parameter.Name, parameter.Type);
                    break;
                case IFieldSymbol { IsImplicitlyDeclared: false } field when field.IsStatic || !isStaticContext:
                    Consider(field.Name, field.Type, 2, names);
                    break;
                case IPropertySymbol { IsIndexer: false, GetMethod: not null } property when property.IsStatic || !isStaticContext:
                    Consider(property.Name, property.Type, 2, names);
                    break;
            }
        }

        return results.OrderBy(r => r.Rank).ToList();

        void ConsiderMembersOf(string owner, ITypeSymbol ownerType)
        {
            if (!IsUserType(ownerType))
            {
                return;
            }

            // owner.Id only when owner is the document itself; owner.SessionId on any object.
            var isDocument = InheritsFrom(ownerType, documentType);
            foreach (var property in ownerType.GetMembers().OfType<IPropertySymbol>().Where(p => !p.IsStatic && !p.IsIndexer && p.GetMethod is not null && p.DeclaredAccessibility == Accessibility.Public))
            {
                // On another object, a bare Id is some other document's id; a bare WorkspaceId is the same key.
                var accepted = isDocument ? names : AcceptedNames(documentType.Name, keyMember.Name, includeBare: storedName is not null && storedName != "_id");
                if (!isDocument && storedName is not null && storedName != "_id")
                {
                    accepted.Add(storedName);
                }

                Consider(owner + "." + property.Name, property.Type, 1, accepted);
            }
        }

        void Consider(string text, ITypeSymbol type, int rank, HashSet<string> accepted)
        {
            var name = text.Substring(text.LastIndexOf('.') + 1).TrimStart('_');
            if (!accepted.Contains(name) || !Fits(model.Compilation, type, keyType) || !seen.Add(text))
            {
                return;
            }

            results.Add(new ScopeValue(text, type, rank));
        }
    }

    /// <summary>The root name of a value's text (<c>request</c> in <c>request.SessionId</c>).</summary>
    public static string RootName(string text)
    {
        var dot = text.IndexOf('.');
        return dot < 0 ? text : text.Substring(0, dot);
    }

    private static HashSet<string> AcceptedNames(string documentName, string keyName, bool includeBare = true)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            documentName + keyName,
            keyName + documentName,
        };
        if (includeBare)
        {
            names.Add(keyName);
        }

        return names;
    }

    /// <summary>The value converts implicitly to the key's type, and is not nullable where the key is not.</summary>
    private static bool Fits(Compilation compilation, ITypeSymbol candidate, ITypeSymbol key)
    {
        if (candidate.NullableAnnotation == NullableAnnotation.Annotated && key.NullableAnnotation != NullableAnnotation.Annotated)
        {
            return false;
        }

        if (candidate.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T && key.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T)
        {
            return false;
        }

        var conversion = compilation.ClassifyCommonConversion(candidate, key);
        return conversion.IsImplicit && !conversion.IsUserDefined;
    }

    private static bool DeclaredBefore(ILocalSymbol local, int position) =>
        local.DeclaringSyntaxReferences.All(r => r.Span.End <= position);

    private static bool IsUserType(ITypeSymbol type) =>
        type.TypeKind is TypeKind.Class or TypeKind.Struct
        && type.SpecialType == SpecialType.None
        && type.ContainingNamespace?.ToDisplayString() is { } ns
        && !ns.StartsWith("System", StringComparison.Ordinal)
        && !ns.StartsWith("MongoDB", StringComparison.Ordinal)
        && type.Locations.Any(l => l.IsInSource);

    private static bool InheritsFrom(ITypeSymbol type, ITypeSymbol baseType)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }
}
