using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using QueryGuard.Model;

namespace QueryGuard.Driver;

/// <summary>
/// Recognises MongoDB operations among invocations and object creations: collection methods (interface and
/// <c>IMongoCollectionExtensions</c>, sync and Async, with and without session), write models, a leading
/// aggregate <c>Match</c>, and LINQ predicates on <c>AsQueryable()</c>. The filter is found by parameter name,
/// never by position (reference §2.3: one <c>FindOneAndReplaceAsync</c> overload puts it before the session).
/// </summary>
internal sealed class MongoOperationRecognizer
{
    // Immutable: static state is shared by every compilation in the process (AnalyzerHygieneTests).
    private static readonly ImmutableDictionary<string, MongoOperationKind> CollectionMethods = new Dictionary<string, MongoOperationKind>(StringComparer.Ordinal)
    {
        ["DeleteOne"] = MongoOperationKind.DeleteOne,
        ["DeleteMany"] = MongoOperationKind.DeleteMany,
        ["UpdateOne"] = MongoOperationKind.UpdateOne,
        ["UpdateMany"] = MongoOperationKind.UpdateMany,
        ["ReplaceOne"] = MongoOperationKind.ReplaceOne,
        ["FindOneAndUpdate"] = MongoOperationKind.FindOneAndUpdate,
        ["FindOneAndReplace"] = MongoOperationKind.FindOneAndReplace,
        ["FindOneAndDelete"] = MongoOperationKind.FindOneAndDelete,
        ["Find"] = MongoOperationKind.Find,
        ["FindSync"] = MongoOperationKind.Find,
        ["Count"] = MongoOperationKind.Count,
        ["CountDocuments"] = MongoOperationKind.CountDocuments,
        ["Distinct"] = MongoOperationKind.Distinct,
        ["DistinctMany"] = MongoOperationKind.DistinctMany,
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>LINQ operators whose predicate becomes the query's <c>$match</c>.</summary>
    private static readonly ImmutableHashSet<string> QueryableOperators = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Where", "First", "FirstOrDefault", "Single", "SingleOrDefault", "Any", "Count", "LongCount");

    private readonly DriverSymbols _symbols;

    public MongoOperationRecognizer(DriverSymbols symbols) => _symbols = symbols;

    public MongoOperation? Recognize(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => RecognizeInvocation(invocation),
        IObjectCreationOperation creation => RecognizeWriteModel(creation),
        _ => null,
    };

    private MongoOperation? RecognizeInvocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var name = StripAsync(method.Name);

        // Count is both a collection method and a LINQ operator: try the collection first, then fall through.
        if (CollectionMethods.TryGetValue(name, out var kind) && RecognizeCollectionMethod(invocation, kind, name) is { } collectionOperation)
        {
            return collectionOperation;
        }

        if (name == "Match")
        {
            return RecognizeAggregateMatch(invocation);
        }

        if (name == "Aggregate")
        {
            return RecognizeAggregate(invocation);
        }

        if (QueryableOperators.Contains(name))
        {
            return RecognizeQueryable(invocation, name);
        }

        return null;
    }

    private MongoOperation? RecognizeCollectionMethod(IInvocationOperation invocation, MongoOperationKind kind, string name)
    {
        if (CollectionOf(invocation) is not var (collection, documentType))
        {
            return null;
        }

        var filter = Argument(invocation, "filter");
        if (filter is null)
        {
            // Count()/Find() overloads without a filter do not exist; anything else is not ours.
            return null;
        }

        return new MongoOperation(
            kind,
            name,
            invocation,
            filter,
            documentType,
            collection,
            collectionName: null,
            isUpsert: IsUpsert(Argument(invocation, "options")),
            hasSession: Argument(invocation, "session") is not null);
    }

    /// <summary>
    /// The collection a method of <c>IMongoCollection&lt;T&gt;</c> (or a type implementing it) or of
    /// <c>IMongoCollectionExtensions</c> runs on, with its document type; null for any other method.
    /// </summary>
    private (IOperation Collection, ITypeSymbol DocumentType)? CollectionOf(IInvocationOperation invocation)
    {
        var method = (invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).OriginalDefinition;
        IOperation? collection;
        if (DriverSymbols.Is(method.ContainingType, _symbols.MongoCollectionExtensions))
        {
            collection = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value;
        }
        else if (_symbols.IsCollection(method.ContainingType, out _))
        {
            collection = invocation.Instance;
        }
        else
        {
            return null;
        }

        return collection is not null && _symbols.IsCollection(collection.Type, out var documentType) && documentType is not null
            ? (collection, documentType)
            : null;
    }

    /// <summary><c>coll.Aggregate().Match(f)</c>: only a Match that is the pipeline's first stage decides targeting.</summary>
    private MongoOperation? RecognizeAggregateMatch(IInvocationOperation invocation)
    {
        var method = (invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).OriginalDefinition;
        IOperation? source;
        if (DriverSymbols.Is(method.ContainingType, _symbols.AggregateFluentExtensions))
        {
            source = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value;
        }
        else if (DriverSymbols.Is(method.ContainingType, _symbols.AggregateFluent) || ImplementsAggregateFluent(method.ContainingType))
        {
            source = invocation.Instance;
        }
        else
        {
            return null;
        }

        if (source is null || FilterModelBuilder.Unwrap(source) is not IInvocationOperation aggregate
            || StripAsync(aggregate.TargetMethod.Name) != "Aggregate")
        {
            return null;
        }

        if (CollectionOf(aggregate) is not var (collection, documentType))
        {
            return null;
        }

        var filter = Argument(invocation, "filter");
        return filter is null
            ? null
            : new MongoOperation(MongoOperationKind.Aggregate, "Aggregate", invocation, filter, documentType, collection, null, false, false);
    }

    /// <summary>
    /// <c>coll.Aggregate()</c> followed by a stage other than <c>Match</c>, or <c>coll.Aggregate(pipeline)</c> whose
    /// first stage is visible: the first stage decides targeting (reference §1.4). A leading <c>$match</c> is
    /// modelled; any other first stage means every document, on every shard.
    /// </summary>
    private MongoOperation? RecognizeAggregate(IInvocationOperation invocation)
    {
        if (CollectionOf(invocation) is not var (collection, documentType))
        {
            return null;
        }

        var pipeline = Argument(invocation, "pipeline");
        if (pipeline is null)
        {
            // The fluent form: the next stage is the first stage.
            var next = NextCall(invocation);
            if (next is null || StripAsync(next.TargetMethod.Name) == "Match")
            {
                return null;
            }

            return new MongoOperation(MongoOperationKind.Aggregate, "Aggregate", invocation, null, documentType, collection, null, false, false);
        }

        var (known, match) = FirstStage(pipeline);
        return known
            ? new MongoOperation(MongoOperationKind.Aggregate, "Aggregate", invocation, match, documentType, collection, null, false, false)
            : null;
    }

    /// <summary>
    /// The first stage of a pipeline written in place: <c>new EmptyPipelineDefinition&lt;T&gt;().Match(f)…</c>, an array or
    /// list of <c>PipelineStageDefinitionBuilder.Match(f)</c> / <c>new BsonDocument("$match", …)</c> stages.
    /// Returns (false, null) when the first stage cannot be seen.
    /// </summary>
    private (bool Known, IOperation? Match) FirstStage(IOperation pipeline)
    {
        var current = FilterModelBuilder.Unwrap(pipeline);
        if (current is IConversionOperation { OperatorMethod: not null } conversion)
        {
            current = FilterModelBuilder.Unwrap(conversion.Operand);
        }

        // Fluent pipeline builder: walk down to the stage applied to the empty pipeline.
        IInvocationOperation? firstCall = null;
        while (current is IInvocationOperation call && DriverSymbols.Is(call.TargetMethod.ContainingType, _symbols.PipelineDefinitionBuilder))
        {
            firstCall = call;
            current = FilterModelBuilder.Unwrap(call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value ?? call);
            if (ReferenceEquals(current, call))
            {
                break;
            }
        }

        if (firstCall is not null)
        {
            return current is IObjectCreationOperation
                ? (true, firstCall.TargetMethod.Name == "Match" ? Argument(firstCall, "filter") : null)
                : (false, null);
        }

        // PipelineDefinition<TIn, TOut>.Create(stages)
        if (current is IInvocationOperation { TargetMethod.Name: "Create", Arguments.Length: > 0 } create
            && DriverSymbols.Is(create.TargetMethod.ContainingType, _symbols.PipelineDefinition))
        {
            current = FilterModelBuilder.Unwrap(create.Arguments[0].Value);
        }

        var stages = current switch
        {
            IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
            IObjectCreationOperation { Initializer: { } collectionInitializer } when collectionInitializer.Initializers.All(i => i is IInvocationOperation { Arguments.Length: 1 }) =>
                ImmutableArray.CreateRange(collectionInitializer.Initializers, i => ((IInvocationOperation)i).Arguments[0].Value),
            _ => default,
        };
        if (stages.IsDefault || stages.Length == 0)
        {
            return (false, null);
        }

        var first = FilterModelBuilder.Unwrap(stages[0]);
        if (first is IConversionOperation { OperatorMethod: not null } stageConversion)
        {
            first = FilterModelBuilder.Unwrap(stageConversion.Operand);
        }

        switch (first)
        {
            case IInvocationOperation stage when DriverSymbols.Is(stage.TargetMethod.ContainingType, _symbols.PipelineStageDefinitionBuilder):
                return (true, stage.TargetMethod.Name == "Match" ? Argument(stage, "filter") : null);
            case IObjectCreationOperation { Arguments.Length: 2 } document when DriverSymbols.Is(document.Type, _symbols.BsonDocument)
                && document.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string stageName }:
                return (true, stageName == "$match" ? document.Arguments[1].Value : null);
            default:
                return (false, null);
        }
    }

    /// <summary>The call made on the result of <paramref name="invocation"/> (as its receiver or first argument).</summary>
    private static IInvocationOperation? NextCall(IInvocationOperation invocation)
    {
        IOperation node = invocation;
        while (node.Parent is IConversionOperation or IParenthesizedOperation)
        {
            node = node.Parent;
        }

        return node.Parent switch
        {
            IInvocationOperation next when ReferenceEquals(next.Instance, node) => next,
            IArgumentOperation { Parameter.Ordinal: 0, Parent: IInvocationOperation next } when next.TargetMethod.IsExtensionMethod || next.TargetMethod.IsStatic => next,
            _ => null,
        };
    }

    private bool ImplementsAggregateFluent(INamedTypeSymbol type) =>
        type.AllInterfaces.Any(i => DriverSymbols.Is(i, _symbols.AggregateFluent));

    /// <summary>
    /// A LINQ predicate operator applied straight to <c>coll.AsQueryable()</c> (through other predicate operators):
    /// 2.x binds <c>MongoQueryable.Where</c> on <c>IMongoQueryable</c>, 3.x binds <c>System.Linq.Queryable.Where</c>.
    /// Only the first predicate of a chain is recognised; the chain's later predicates are ANDed into it by the caller.
    /// </summary>
    private MongoOperation? RecognizeQueryable(IInvocationOperation invocation, string name)
    {
        var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
        if (!DriverSymbols.Is(method.ContainingType, _symbols.Queryable) && !DriverSymbols.Is(method.ContainingType, _symbols.MongoQueryable))
        {
            return null;
        }

        var predicate = Argument(invocation, "predicate");
        var source = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value;
        if (predicate is null || source is null || AsQueryableCollection(source) is not { } collection
            || !_symbols.IsCollection(collection.Type, out var documentType) || documentType is null)
        {
            return null;
        }

        return new MongoOperation(MongoOperationKind.Queryable, name, invocation, predicate, documentType, collection, null, false, false, LaterPredicates(invocation));
    }

    /// <summary>
    /// Predicates of the operators chained after the first one (<c>.Where(a).Where(b).First(c)</c>), through
    /// ordering operators that keep the element type; they all end up in the same leading <c>$match</c>.
    /// </summary>
    private ImmutableArray<IOperation> LaterPredicates(IInvocationOperation first)
    {
        var result = ImmutableArray.CreateBuilder<IOperation>();
        for (var next = NextCall(first); next is not null; next = NextCall(next))
        {
            var method = next.TargetMethod.ReducedFrom ?? next.TargetMethod;
            if (!DriverSymbols.Is(method.ContainingType, _symbols.Queryable) && !DriverSymbols.Is(method.ContainingType, _symbols.MongoQueryable))
            {
                break;
            }

            var name = StripAsync(method.Name);
            if (QueryableOperators.Contains(name) && Argument(next, "predicate") is { } predicate)
            {
                result.Add(predicate);
            }
            else if (name is not ("OrderBy" or "OrderByDescending" or "ThenBy" or "ThenByDescending"))
            {
                break;
            }
        }

        return result.ToImmutable();
    }

    private IOperation? AsQueryableCollection(IOperation source)
    {
        if (FilterModelBuilder.Unwrap(source) is not IInvocationOperation call)
        {
            return null;
        }

        var method = call.TargetMethod.ReducedFrom ?? call.TargetMethod;
        if (method.Name == "AsQueryable" && DriverSymbols.Is(method.ContainingType, _symbols.MongoCollectionExtensions))
        {
            return call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value;
        }

        return null;
    }

    private MongoOperation? RecognizeWriteModel(IObjectCreationOperation creation)
    {
        // Every `new` in the compilation comes here: the name and arity first (no allocation), symbols after.
        if (creation.Type is not INamedTypeSymbol { Arity: 1 } type || !type.Name.EndsWith("Model", System.StringComparison.Ordinal))
        {
            return null;
        }

        var definition = type.OriginalDefinition;
        MongoOperationKind kind;
        if (Is(definition, _symbols.DeleteOneModel, _symbols.BulkWriteDeleteOneModel))
        {
            kind = MongoOperationKind.DeleteOne;
        }
        else if (Is(definition, _symbols.DeleteManyModel, _symbols.BulkWriteDeleteManyModel))
        {
            kind = MongoOperationKind.DeleteMany;
        }
        else if (Is(definition, _symbols.UpdateOneModel, _symbols.BulkWriteUpdateOneModel))
        {
            kind = MongoOperationKind.UpdateOne;
        }
        else if (Is(definition, _symbols.UpdateManyModel, _symbols.BulkWriteUpdateManyModel))
        {
            kind = MongoOperationKind.UpdateMany;
        }
        else if (Is(definition, _symbols.ReplaceOneModel, _symbols.BulkWriteReplaceOneModel))
        {
            kind = MongoOperationKind.ReplaceOne;
        }
        else
        {
            return null;
        }

        var filter = creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "filter")?.Value;
        if (filter is null)
        {
            return null;
        }

        // 3.x client bulk-write models name their collection: "db.collection" or a CollectionNamespace.
        string? collectionName = null;
        var ns = creation.Arguments.FirstOrDefault(a => a.Parameter?.Name is "collectionNamespace" or "collectionName" or "namespace")?.Value;
        if (ns is not null && FilterModelBuilder.Unwrap(ns).ConstantValue is { HasValue: true, Value: string full })
        {
            var dot = full.IndexOf('.');
            collectionName = dot >= 0 ? full.Substring(dot + 1) : full;
        }

        var isUpsert = IsUpsertInitializer(creation.Initializer)
            || creation.Arguments.Any(a => a.Parameter?.Name == "isUpsert" && a.ArgumentKind != ArgumentKind.DefaultValue && a.Value.ConstantValue is { HasValue: true, Value: true });

        return new MongoOperation(kind, type.Name, creation, filter, type.TypeArguments[0], EnclosingBulkWriteCollection(creation), collectionName, isUpsert, false);
    }

    /// <summary>
    /// The collection of <c>coll.BulkWrite(new[] { model, ... })</c> when the model is written inside the call's
    /// argument (an array or collection initialiser), so messages can name the collection.
    /// </summary>
    private IOperation? EnclosingBulkWriteCollection(IObjectCreationOperation model)
    {
        for (var current = model.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IInvocationOperation { TargetMethod.Name: "BulkWrite" or "BulkWriteAsync" } bulkWrite:
                    var method = bulkWrite.TargetMethod.ReducedFrom ?? bulkWrite.TargetMethod;
                    var collection = method.IsStatic ? bulkWrite.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value : bulkWrite.Instance;
                    return _symbols.IsCollection(collection?.Type, out _) ? collection : null;
                case IArgumentOperation or IArrayInitializerOperation or IArrayCreationOperation or IConversionOperation
                    or IObjectOrCollectionInitializerOperation or IObjectCreationOperation or IParenthesizedOperation:
                    continue;
                case IInvocationOperation { TargetMethod.Name: "Add" } add when add.Parent is IObjectOrCollectionInitializerOperation:
                    continue;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary><c>new UpdateOptions { IsUpsert = true }</c> (also target-typed <c>new() { … }</c>).</summary>
    private static bool IsUpsert(IOperation? options) =>
        options is not null && FilterModelBuilder.Unwrap(options) is IObjectCreationOperation creation && IsUpsertInitializer(creation.Initializer);

    private static bool IsUpsertInitializer(IObjectOrCollectionInitializerOperation? initializer) =>
        initializer is not null && initializer.Initializers.Any(i =>
            i is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "IsUpsert" }, Value.ConstantValue: { HasValue: true, Value: true } });

    private static bool Is(INamedTypeSymbol definition, INamedTypeSymbol? first, INamedTypeSymbol? second) =>
        DriverSymbols.Is(definition, first) || DriverSymbols.Is(definition, second);

    private static IOperation? Argument(IInvocationOperation invocation, string parameterName) =>
        FilterModelBuilder.Argument(invocation, parameterName);

    private static string StripAsync(string name) =>
        name.EndsWith("Async", StringComparison.Ordinal) ? name.Substring(0, name.Length - 5) : name;
}
