using Microsoft.CodeAnalysis;
using QueryGuard.Configuration;
using QueryGuard.Driver;
using QueryGuard.Flow;
using QueryGuard.Model;

namespace QueryGuard;

/// <summary>Everything QueryGuard resolves once per compilation and shares across the operations it analyses.</summary>
internal sealed class QueryGuardCompilation
{
    private QueryGuardCompilation(DriverSymbols symbols, QueryGuardConfiguration configuration)
    {
        Symbols = symbols;
        Configuration = configuration;
        Names = new ElementNameResolver(symbols, configuration.Naming);
        Filters = new FilterModelBuilder(symbols, Names);
        Operations = new MongoOperationRecognizer(symbols);
        Collections = new CollectionBinding();
        Attributes = new AttributeDeclarations(Names);
        Flow = new FlowResolvers(Filters);
    }

    public DriverSymbols Symbols { get; }

    public QueryGuardConfiguration Configuration { get; }

    public ElementNameResolver Names { get; }

    public FilterModelBuilder Filters { get; }

    public MongoOperationRecognizer Operations { get; }

    public CollectionBinding Collections { get; }

    public AttributeDeclarations Attributes { get; }

    /// <summary>Flow facts per method body: what filter locals, lists and helper calls hold at each point.</summary>
    public FlowResolvers Flow { get; }

    /// <summary>The declaration for an operation's collection: configuration files first, then attributes on the document type.</summary>
    public CollectionDeclaration? FindDeclaration(string? collectionName, ITypeSymbol documentType) =>
        Configuration.Find(collectionName, documentType) ?? Attributes.Find(documentType);

    public static QueryGuardCompilation Create(DriverSymbols symbols, QueryGuardConfiguration configuration) => new(symbols, configuration);

    /// <summary>Null when MongoDB.Driver is not referenced.</summary>
    public static QueryGuardCompilation? TryCreate(Compilation compilation, QueryGuardConfiguration configuration) =>
        DriverSymbols.TryCreate(compilation) is { } symbols ? new QueryGuardCompilation(symbols, configuration) : null;
}
