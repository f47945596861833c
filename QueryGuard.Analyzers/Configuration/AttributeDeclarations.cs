using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using QueryGuard.Driver;

namespace QueryGuard.Configuration;

/// <summary>
/// <c>[ShardKey("WorkspaceId", Hashed = true)]</c> and <c>[ScopeKey("WorkspaceId")]</c> on a document class. The
/// attributes are recognised by name (<c>ShardKeyAttribute</c>, <c>ScopeKeyAttribute</c>) so users need no runtime
/// dependency on QueryGuard: the package adds conditional, internal definitions to their compilation. Fields are
/// C# member names (dotted for nested members), mapped to stored names like any other member; <c>Hashed</c> marks
/// the leading field as hashed. Cached per type.
/// </summary>
internal sealed class AttributeDeclarations
{
    public const string ShardKeyAttributeName = "ShardKeyAttribute";
    public const string ScopeKeyAttributeName = "ScopeKeyAttribute";

    private readonly ElementNameResolver _names;
    private readonly ConcurrentDictionary<ITypeSymbol, AttributeDeclaration?> _cache = new(SymbolEqualityComparer.Default);

    public AttributeDeclarations(ElementNameResolver names) => _names = names;

    public CollectionDeclaration? Find(ITypeSymbol documentType) => Get(documentType)?.Declaration;

    /// <summary>The declaration on a type with what is wrong with it (unknown members), for QG0001.</summary>
    public AttributeDeclaration? Get(ITypeSymbol documentType) => _cache.GetOrAdd(documentType.OriginalDefinition, Read);

    private AttributeDeclaration? Read(ITypeSymbol type)
    {
        ShardKey? shardKey = null;
        string? scopeKey = null;
        var errors = new List<(AttributeData Attribute, string Message)>();
        foreach (var attribute in type.GetAttributes())
        {
            switch (attribute.AttributeClass?.Name)
            {
                case ShardKeyAttributeName:
                    var fields = attribute.ConstructorArguments.SelectMany(Strings).ToList();
                    var hashed = attribute.NamedArguments.Any(a => a.Key == "Hashed" && a.Value.Value is true);
                    if (fields.Count == 0)
                    {
                        errors.Add((attribute, $"[ShardKey] on '{type.Name}' names no field"));
                        break;
                    }

                    var keyFields = ImmutableArray.CreateBuilder<ShardKeyField>();
                    foreach (var field in fields)
                    {
                        if (!MemberExists(type, field))
                        {
                            errors.Add((attribute, $"[ShardKey] on '{type.Name}' names '{field}', which is not a property or field of '{type.Name}'"));
                        }

                        keyFields.Add(new ShardKeyField(_names.ResolveStringPath(type, field), Hashed: hashed && keyFields.Count == 0));
                    }

                    shardKey = new ShardKey(keyFields.ToImmutable());
                    break;
                case ScopeKeyAttributeName:
                    var scope = attribute.ConstructorArguments.SelectMany(Strings).FirstOrDefault();
                    if (scope is null)
                    {
                        errors.Add((attribute, $"[ScopeKey] on '{type.Name}' names no field"));
                    }
                    else if (!MemberExists(type, scope))
                    {
                        errors.Add((attribute, $"[ScopeKey] on '{type.Name}' names '{scope}', which is not a property or field of '{type.Name}'"));
                    }
                    else
                    {
                        scopeKey = _names.ResolveStringPath(type, scope);
                    }

                    break;
            }
        }

        if (shardKey is null && scopeKey is null && errors.Count == 0)
        {
            return null;
        }

        var declaration = shardKey is null && scopeKey is null
            ? null
            : new CollectionDeclaration(null, QueryGuardConfiguration.TypeName(type), shardKey, scopeKey, CollectionDeclaration.NoUniqueKeys, DeclarationSource.Attribute);
        return new AttributeDeclaration(declaration, errors.ToImmutableArray());
    }

    private static IEnumerable<string> Strings(TypedConstant constant) => constant.Kind switch
    {
        // [ShardKey(null)] or [ShardKey(default)] passes a null array, whose Values is a default ImmutableArray.
        TypedConstantKind.Array when constant.IsNull => Enumerable.Empty<string>(),
        TypedConstantKind.Array => constant.Values.Select(v => v.Value).OfType<string>(),
        _ => constant.Value is string s ? new[] { s } : Enumerable.Empty<string>(),
    };

    private static bool MemberExists(ITypeSymbol type, string path)
    {
        ITypeSymbol? current = type;
        foreach (var part in path.Split('.'))
        {
            ISymbol? member = null;
            for (var t = current; t is not null && member is null; t = t.BaseType)
            {
                member = t.GetMembers(part).FirstOrDefault(m => m is IPropertySymbol or IFieldSymbol);
            }

            if (member is null)
            {
                return false;
            }

            current = member switch
            {
                IPropertySymbol p => p.Type,
                IFieldSymbol f => f.Type,
                _ => null,
            };
        }

        return true;
    }
}

internal sealed record AttributeDeclaration(CollectionDeclaration? Declaration, ImmutableArray<(AttributeData Attribute, string Message)> Errors);
