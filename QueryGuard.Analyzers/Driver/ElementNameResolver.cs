using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace QueryGuard.Driver;

public enum ElementNameConvention
{
    /// <summary>The driver's default: the element name is the member name.</summary>
    None,

    /// <summary><c>CamelCaseElementNameConvention</c>: lower-cases only the first character (<c>URL</c> → <c>uRL</c>).</summary>
    CamelCase,
}

/// <summary>How members map to stored names beyond attributes: the configured convention and per-member overrides.</summary>
public sealed class NamingOptions
{
    public static NamingOptions Default { get; } = new(ElementNameConvention.None, new Dictionary<string, string>());

    public NamingOptions(ElementNameConvention convention, IReadOnlyDictionary<string, string> overrides)
    {
        Convention = convention;
        Overrides = overrides;
    }

    public ElementNameConvention Convention { get; }

    /// <summary>Keyed by <c>Namespace.Type.Member</c> (the C# member), valued by the stored name.</summary>
    public IReadOnlyDictionary<string, string> Overrides { get; }
}

/// <summary>
/// Maps a C# member to the element name the driver stores it under, following the driver's precedence
/// (reference §3.1): the id member is always <c>_id</c>; a class-map override (configured <c>elementNames</c>)
/// beats <c>[BsonElement]</c>, which beats the naming convention, which defaults to the member name.
/// One instance per compilation; results are cached per member.
/// </summary>
internal sealed class ElementNameResolver
{
    private static readonly ImmutableArray<string> IdMemberNames = ImmutableArray.Create("Id", "id", "_id");

    private readonly DriverSymbols _symbols;
    private readonly NamingOptions _options;
    private readonly ConcurrentDictionary<ISymbol, string> _names = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ITypeSymbol, ISymbol?> _idMembers = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(ITypeSymbol Type, string StoredName), ISymbol?> _storedAs = new(new TypeAndNameComparer());

    public ElementNameResolver(DriverSymbols symbols, NamingOptions options)
    {
        _symbols = symbols;
        _options = options;
    }

    public NamingOptions Options => _options;

    /// <summary>The stored name of a property or field of a document class.</summary>
    public string GetElementName(ISymbol member) => _names.GetOrAdd(member.OriginalDefinition, Compute);

    /// <summary>True when the driver would treat <paramref name="member"/> as the document's <c>_id</c>.</summary>
    public bool IsIdMember(ISymbol member) =>
        member.ContainingType is { } type && SymbolEqualityComparer.Default.Equals(FindIdMember(type), member.OriginalDefinition);

    /// <summary>
    /// A field given as a string on a POCO type: the driver looks up a member with that exact name and uses its
    /// element name, part by part for dotted paths; unknown names are used verbatim (reference §3.2).
    /// </summary>
    public string ResolveStringPath(ITypeSymbol documentType, string path)
    {
        if (IsBsonDocument(documentType))
        {
            return path;
        }

        var parts = path.Split('.');
        var type = documentType;
        for (var i = 0; i < parts.Length; i++)
        {
            var member = type is null ? null : FindMember(type, parts[i]);
            if (member is null)
            {
                // The rest of the path cannot be mapped: keep it verbatim.
                type = null;
                continue;
            }

            parts[i] = GetElementName(member);
            type = ElementTypeOf(member);
        }

        return string.Join(".", parts);
    }

    /// <summary>The property or field of <paramref name="documentType"/> (or a base) stored as <paramref name="storedName"/>.</summary>
    public ISymbol? FindMemberStoredAs(ITypeSymbol documentType, string storedName) =>
        // Asked for every finding that names a key to add (the code fixes read it): cached per type and name.
        _storedAs.GetOrAdd((documentType, storedName), key => ComputeMemberStoredAs(key.Type, key.StoredName));

    private ISymbol? ComputeMemberStoredAs(ITypeSymbol documentType, string storedName)
    {
        for (var type = documentType; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                if (IsDataMember(member) && GetElementName(member) == storedName)
                {
                    return member;
                }
            }
        }

        return null;
    }

    public bool IsBsonDocument(ITypeSymbol? type) => DriverSymbols.Is(type, _symbols.BsonDocument);

    private string Compute(ISymbol member)
    {
        if (IsIdMember(member))
        {
            return "_id";
        }

        var key = Configuration.QueryGuardConfiguration.TypeName(member.ContainingType) + "." + member.Name;
        if (_options.Overrides.TryGetValue(key, out var overridden))
        {
            return overridden;
        }

        if (GetBsonElementName(member) is { Length: > 0 } attributeName)
        {
            return attributeName;
        }

        return _options.Convention == ElementNameConvention.CamelCase && member.Name.Length > 0
            ? char.ToLowerInvariant(member.Name[0]) + member.Name.Substring(1)
            : member.Name;
    }

    /// <summary>
    /// A <c>[BsonId]</c> member, else the first of Id, id, _id declared on the class; else the base class's id.
    /// <c>[BsonNoId]</c> means none. From driver 3.9 an <c>Id</c> with <c>[BsonElement("x")]</c> is not the id (CSHARP-5629).
    /// </summary>
    private ISymbol? FindIdMember(INamedTypeSymbol type) => _idMembers.GetOrAdd(type.OriginalDefinition, t =>
    {
        for (var current = t as INamedTypeSymbol; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            if (HasAttribute(current, _symbols.BsonNoIdAttribute))
            {
                return null;
            }

            var members = current.GetMembers().Where(IsDataMember).ToList();
            var explicitId = members.FirstOrDefault(m => HasAttribute(m, _symbols.BsonIdAttribute));
            if (explicitId is not null)
            {
                return explicitId;
            }

            foreach (var name in IdMemberNames)
            {
                var candidate = members.FirstOrDefault(m => m.Name == name && m.DeclaredAccessibility == Accessibility.Public);
                if (candidate is null)
                {
                    continue;
                }

                var renamedAwayFromId = !_symbols.IsDriver2 && _symbols.DriverVersion >= new Version(3, 9)
                    && GetBsonElementName(candidate) is { Length: > 0 } renamed && renamed != "_id";
                if (!renamedAwayFromId)
                {
                    return candidate;
                }
            }
        }

        return null;
    });

    private string? GetBsonElementName(ISymbol member)
    {
        foreach (var attribute in member.GetAttributes())
        {
            if (DriverSymbols.Is(attribute.AttributeClass, _symbols.BsonElementAttribute))
            {
                return attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string : null;
            }
        }

        return null;
    }

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType) =>
        attributeType is not null && symbol.GetAttributes().Any(a => DriverSymbols.Is(a.AttributeClass, attributeType));

    private static bool IsDataMember(ISymbol symbol) =>
        !symbol.IsStatic && symbol is IPropertySymbol { IsIndexer: false } or IFieldSymbol { IsImplicitlyDeclared: false };

    private static ISymbol? FindMember(ITypeSymbol type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            var member = current.GetMembers(name).FirstOrDefault(IsDataMember);
            if (member is not null)
            {
                return member;
            }
        }

        return null;
    }

    private static ITypeSymbol? ElementTypeOf(ISymbol member) => member switch
    {
        IPropertySymbol p => p.Type,
        IFieldSymbol f => f.Type,
        _ => null,
    };

    private sealed class TypeAndNameComparer : IEqualityComparer<(ITypeSymbol Type, string StoredName)>
    {
        public bool Equals((ITypeSymbol Type, string StoredName) x, (ITypeSymbol Type, string StoredName) y) =>
            x.StoredName == y.StoredName && SymbolEqualityComparer.Default.Equals(x.Type, y.Type);

        public int GetHashCode((ITypeSymbol Type, string StoredName) obj) =>
            (SymbolEqualityComparer.Default.GetHashCode(obj.Type) * 31) + obj.StoredName.GetHashCode();
    }
}
