using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace QueryGuard.Driver;

/// <summary>
/// The MongoDB.Driver and MongoDB.Bson types QueryGuard recognises, resolved by metadata name once per
/// compilation. QueryGuard never references the driver: names are the contract (reference §2.1), and they are
/// the same in driver 2.x and 3.x unless marked.
/// </summary>
internal sealed class DriverSymbols
{
    private DriverSymbols(Compilation compilation, INamedTypeSymbol mongoCollection)
    {
        Compilation = compilation;
        MongoCollection = mongoCollection;
        DriverVersion = mongoCollection.ContainingAssembly.Identity.Version;

        MongoCollectionExtensions = Get("MongoDB.Driver.IMongoCollectionExtensions");
        FilteredMongoCollection = Get("MongoDB.Driver.IFilteredMongoCollection`1");
        MongoDatabase = Get("MongoDB.Driver.IMongoDatabase");
        MongoClient = Get("MongoDB.Driver.IMongoClient");

        FilterDefinition = Get("MongoDB.Driver.FilterDefinition`1");
        FilterDefinitionBuilder = Get("MongoDB.Driver.FilterDefinitionBuilder`1");
        Builders = Get("MongoDB.Driver.Builders`1");
        BsonDocumentFilterDefinition = Get("MongoDB.Driver.BsonDocumentFilterDefinition`1");
        JsonFilterDefinition = Get("MongoDB.Driver.JsonFilterDefinition`1");
        ExpressionFilterDefinition = Get("MongoDB.Driver.ExpressionFilterDefinition`1");
        FieldDefinition1 = Get("MongoDB.Driver.FieldDefinition`1");
        FieldDefinition2 = Get("MongoDB.Driver.FieldDefinition`2");
        StringFieldDefinition1 = Get("MongoDB.Driver.StringFieldDefinition`1");
        StringFieldDefinition2 = Get("MongoDB.Driver.StringFieldDefinition`2");
        ExpressionFieldDefinition1 = Get("MongoDB.Driver.ExpressionFieldDefinition`1");
        ExpressionFieldDefinition2 = Get("MongoDB.Driver.ExpressionFieldDefinition`2");

        DeleteOneModel = Get("MongoDB.Driver.DeleteOneModel`1");
        DeleteManyModel = Get("MongoDB.Driver.DeleteManyModel`1");
        UpdateOneModel = Get("MongoDB.Driver.UpdateOneModel`1");
        UpdateManyModel = Get("MongoDB.Driver.UpdateManyModel`1");
        ReplaceOneModel = Get("MongoDB.Driver.ReplaceOneModel`1");
        BulkWriteDeleteOneModel = Get("MongoDB.Driver.BulkWriteDeleteOneModel`1");
        BulkWriteDeleteManyModel = Get("MongoDB.Driver.BulkWriteDeleteManyModel`1");
        BulkWriteUpdateOneModel = Get("MongoDB.Driver.BulkWriteUpdateOneModel`1");
        BulkWriteUpdateManyModel = Get("MongoDB.Driver.BulkWriteUpdateManyModel`1");
        BulkWriteReplaceOneModel = Get("MongoDB.Driver.BulkWriteReplaceOneModel`1");

        FindFluent = Get("MongoDB.Driver.IFindFluent`2");
        AggregateFluent = Get("MongoDB.Driver.IAggregateFluent`1");
        AggregateFluentExtensions = Get("MongoDB.Driver.IAggregateFluentExtensions");
        PipelineDefinition = Get("MongoDB.Driver.PipelineDefinition`2");
        PipelineDefinitionBuilder = Get("MongoDB.Driver.PipelineDefinitionBuilder");
        PipelineStageDefinitionBuilder = Get("MongoDB.Driver.PipelineStageDefinitionBuilder");
        MongoQueryable = Get("MongoDB.Driver.Linq.MongoQueryable");
        MongoQueryableInterface = Get("MongoDB.Driver.Linq.IMongoQueryable`1");
        ClientSessionHandle = Get("MongoDB.Driver.IClientSessionHandle");

        BsonDocument = Get("MongoDB.Bson.BsonDocument");
        BsonElement = Get("MongoDB.Bson.BsonElement");
        BsonValue = Get("MongoDB.Bson.BsonValue");
        BsonArray = Get("MongoDB.Bson.BsonArray");
        BsonRegularExpression = Get("MongoDB.Bson.BsonRegularExpression");
        BsonElementAttribute = Get("MongoDB.Bson.Serialization.Attributes.BsonElementAttribute");
        BsonIdAttribute = Get("MongoDB.Bson.Serialization.Attributes.BsonIdAttribute");
        BsonIgnoreAttribute = Get("MongoDB.Bson.Serialization.Attributes.BsonIgnoreAttribute");
        BsonNoIdAttribute = Get("MongoDB.Bson.Serialization.Attributes.BsonNoIdAttribute");

        Queryable = compilation.GetTypeByMetadataName("System.Linq.Queryable");
        Enumerable = compilation.GetTypeByMetadataName("System.Linq.Enumerable");
        Expression1 = compilation.GetTypeByMetadataName("System.Linq.Expressions.Expression`1");
    }

    public Compilation Compilation { get; }

    /// <summary>Version of the referenced MongoDB.Driver assembly (2.x or 3.x).</summary>
    public Version DriverVersion { get; }

    public bool IsDriver2 => DriverVersion.Major < 3;

    public INamedTypeSymbol MongoCollection { get; }
    public INamedTypeSymbol? MongoCollectionExtensions { get; }
    public INamedTypeSymbol? FilteredMongoCollection { get; }
    public INamedTypeSymbol? MongoDatabase { get; }
    public INamedTypeSymbol? MongoClient { get; }

    public INamedTypeSymbol? FilterDefinition { get; }
    public INamedTypeSymbol? FilterDefinitionBuilder { get; }
    public INamedTypeSymbol? Builders { get; }
    public INamedTypeSymbol? BsonDocumentFilterDefinition { get; }
    public INamedTypeSymbol? JsonFilterDefinition { get; }
    public INamedTypeSymbol? ExpressionFilterDefinition { get; }
    public INamedTypeSymbol? FieldDefinition1 { get; }
    public INamedTypeSymbol? FieldDefinition2 { get; }
    public INamedTypeSymbol? StringFieldDefinition1 { get; }
    public INamedTypeSymbol? StringFieldDefinition2 { get; }
    public INamedTypeSymbol? ExpressionFieldDefinition1 { get; }
    public INamedTypeSymbol? ExpressionFieldDefinition2 { get; }

    public INamedTypeSymbol? DeleteOneModel { get; }
    public INamedTypeSymbol? DeleteManyModel { get; }
    public INamedTypeSymbol? UpdateOneModel { get; }
    public INamedTypeSymbol? UpdateManyModel { get; }
    public INamedTypeSymbol? ReplaceOneModel { get; }

    /// <summary>3.x only: models of <c>IMongoClient.BulkWrite</c>.</summary>
    public INamedTypeSymbol? BulkWriteDeleteOneModel { get; }
    public INamedTypeSymbol? BulkWriteDeleteManyModel { get; }
    public INamedTypeSymbol? BulkWriteUpdateOneModel { get; }
    public INamedTypeSymbol? BulkWriteUpdateManyModel { get; }
    public INamedTypeSymbol? BulkWriteReplaceOneModel { get; }

    public INamedTypeSymbol? FindFluent { get; }
    public INamedTypeSymbol? AggregateFluent { get; }
    public INamedTypeSymbol? AggregateFluentExtensions { get; }
    public INamedTypeSymbol? PipelineDefinition { get; }
    public INamedTypeSymbol? PipelineDefinitionBuilder { get; }
    public INamedTypeSymbol? PipelineStageDefinitionBuilder { get; }
    public INamedTypeSymbol? MongoQueryable { get; }

    /// <summary>2.x only: <c>AsQueryable()</c> returns <c>IMongoQueryable&lt;T&gt;</c>; 3.x returns <c>IQueryable&lt;T&gt;</c>.</summary>
    public INamedTypeSymbol? MongoQueryableInterface { get; }
    public INamedTypeSymbol? ClientSessionHandle { get; }

    public INamedTypeSymbol? BsonDocument { get; }
    public INamedTypeSymbol? BsonElement { get; }
    public INamedTypeSymbol? BsonValue { get; }
    public INamedTypeSymbol? BsonArray { get; }
    public INamedTypeSymbol? BsonRegularExpression { get; }
    public INamedTypeSymbol? BsonElementAttribute { get; }
    public INamedTypeSymbol? BsonIdAttribute { get; }
    public INamedTypeSymbol? BsonIgnoreAttribute { get; }
    public INamedTypeSymbol? BsonNoIdAttribute { get; }

    public INamedTypeSymbol? Queryable { get; }
    public INamedTypeSymbol? Enumerable { get; }
    public INamedTypeSymbol? Expression1 { get; }

    /// <summary>Returns null when MongoDB.Driver is not referenced: then QueryGuard registers nothing.</summary>
    public static DriverSymbols? TryCreate(Compilation compilation)
    {
        // Early bail-out on the references' names: a metadata-name lookup makes the compiler build the merged
        // namespaces of the source and of every reference, which costs ~200 ms on a large project without the
        // driver (measured by bench/run.sh). The driver is always a referenced assembly (MongoDB.Driver, or for
        // 2.x also MongoDB.Driver.Core).
        if (!IsReferenced(compilation))
        {
            return null;
        }

        var collection = GetBestType(compilation, "MongoDB.Driver.IMongoCollection`1", "MongoDB.Driver");
        return collection is null ? null : new DriverSymbols(compilation, collection);
    }

    /// <summary>
    /// Whether MongoDB.Driver is referenced, without resolving any symbol: what an analyzer checks at compilation
    /// start, leaving the symbol lookups (<see cref="TryCreate"/>) to its first callback.
    /// </summary>
    public static bool IsReferenced(Compilation compilation)
    {
        // The references' file names first: reading them binds nothing, while the referenced assemblies' identities
        // (and Compilation.References, which adds #r directives) need the compiler to load every reference and
        // declare every source file: that was what a project without the driver paid QueryGuard. A reference
        // without a file (an in-memory image, another project's compilation in an IDE) is decided by the identities.
        foreach (var reference in compilation.ExternalReferences)
        {
            if (reference is not PortableExecutableReference { FilePath: { Length: > 0 } path })
            {
                return ReferencedAssemblyNamesIncludeDriver(compilation);
            }

            if (IsDriverFileName(path))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>MongoDB.Driver, and for 2.x also MongoDB.Driver.Core: the names (and file names) of the driver's assemblies.</summary>
    private const string DriverAssemblyPrefix = "MongoDB.Driver";

    private static bool IsDriverFileName(string path)
    {
        var start = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\')) + 1;
        return string.Compare(path, start, DriverAssemblyPrefix, 0, DriverAssemblyPrefix.Length, StringComparison.OrdinalIgnoreCase) == 0;
    }

    private static bool ReferencedAssemblyNamesIncludeDriver(Compilation compilation)
    {
        foreach (var identity in compilation.ReferencedAssemblyNames)
        {
            if (identity.Name.StartsWith(DriverAssemblyPrefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="symbol"/>'s namespace is exactly <paramref name="dottedName"/> ("System.Collections.Generic"),
    /// compared part by part without building the namespace's display string (this runs for every tracked value).
    /// </summary>
    public static bool IsInNamespace(ISymbol symbol, string dottedName)
    {
        var end = dottedName.Length;
        for (var ns = symbol.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            var start = end - ns.Name.Length;
            if (start < 0 || string.CompareOrdinal(dottedName, start, ns.Name, 0, ns.Name.Length) != 0)
            {
                return false;
            }

            if (start == 0)
            {
                return ns.ContainingNamespace is null or { IsGlobalNamespace: true };
            }

            if (dottedName[start - 1] != '.')
            {
                return false;
            }

            end = start - 1;
        }

        return false;
    }

    /// <summary>True when <paramref name="symbol"/> is in the top-level namespace <paramref name="root"/> or one inside it.</summary>
    public static bool IsUnderRootNamespace(ISymbol symbol, string root)
    {
        var ns = symbol.ContainingNamespace;
        if (ns is null or { IsGlobalNamespace: true })
        {
            return false;
        }

        while (ns.ContainingNamespace is { IsGlobalNamespace: false } parent)
        {
            ns = parent;
        }

        return ns.Name == root;
    }

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);

    /// <summary>True for <c>IMongoCollection&lt;T&gt;</c> itself and every type that implements it.</summary>
    public bool IsCollection(ITypeSymbol? type, out ITypeSymbol? documentType)
    {
        documentType = null;
        if (type is null)
        {
            return false;
        }

        if (type is INamedTypeSymbol named && Is(named, MongoCollection))
        {
            documentType = named.TypeArguments[0];
            return true;
        }

        foreach (var candidate in type.AllInterfaces)
        {
            if (Is(candidate, MongoCollection))
            {
                documentType = candidate.TypeArguments[0];
                return true;
            }
        }

        return false;
    }

    private INamedTypeSymbol? Get(string metadataName)
    {
        var assembly = metadataName.StartsWith("MongoDB.Bson", StringComparison.Ordinal) ? "MongoDB.Bson" : "MongoDB.Driver";
        return GetBestType(Compilation, metadataName, assembly);
    }

    /// <summary>
    /// Plain <c>GetTypeByMetadataName</c> returns null when two references define the same name;
    /// prefer the type from the expected assembly, then a single candidate from anywhere (in 2.x some
    /// MongoDB.Driver names, such as IClientSessionHandle, live in MongoDB.Driver.Core).
    /// </summary>
    private static INamedTypeSymbol? GetBestType(Compilation compilation, string metadataName, string assemblyName)
    {
        var candidates = compilation.GetTypesByMetadataName(metadataName);
        if (candidates.IsDefaultOrEmpty)
        {
            return null;
        }

        return candidates.FirstOrDefault(t => string.Equals(t.ContainingAssembly?.Name, assemblyName, StringComparison.Ordinal))
            ?? (candidates.Length == 1 ? candidates[0] : null);
    }
}
