using Microsoft.CodeAnalysis;
using QueryGuard.Driver;
using QueryGuard.Model;

namespace QueryGuard;

/// <summary>Everything QueryGuard resolves once per compilation and shares across the operations it analyses.</summary>
internal sealed class QueryGuardCompilation
{
    private QueryGuardCompilation(DriverSymbols symbols, NamingOptions naming)
    {
        Symbols = symbols;
        Names = new ElementNameResolver(symbols, naming);
        Filters = new FilterModelBuilder(symbols, Names);
        Operations = new MongoOperationRecognizer(symbols);
        Collections = new CollectionBinding();
    }

    public DriverSymbols Symbols { get; }

    public ElementNameResolver Names { get; }

    public FilterModelBuilder Filters { get; }

    public MongoOperationRecognizer Operations { get; }

    public CollectionBinding Collections { get; }

    /// <summary>Null when MongoDB.Driver is not referenced.</summary>
    public static QueryGuardCompilation? TryCreate(Compilation compilation, NamingOptions naming) =>
        DriverSymbols.TryCreate(compilation) is { } symbols ? new QueryGuardCompilation(symbols, naming) : null;
}
