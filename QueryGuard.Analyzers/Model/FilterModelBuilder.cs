using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using QueryGuard.Driver;

namespace QueryGuard.Model;

/// <summary>
/// Turns the IOperation of a filter argument into the <see cref="FilterNode"/> model. Covers every filter form of
/// RULES.md: <c>Builders&lt;T&gt;.Filter</c> calls and the <c>&amp; | !</c> operators, <c>Empty</c>, lambdas,
/// JSON strings, <c>BsonDocument</c>s, and the implicit conversions of <c>FilterDefinition&lt;T&gt;</c>.
/// Whatever it cannot see becomes <see cref="UnknownFilter"/>, never a guess.
/// </summary>
internal sealed class FilterModelBuilder
{
    private const int MaxDepth = 48;

    private readonly DriverSymbols _symbols;
    private readonly ElementNameResolver _names;
    private readonly IFilterReferenceResolver? _references;

    public FilterModelBuilder(DriverSymbols symbols, ElementNameResolver names, IFilterReferenceResolver? references = null)
    {
        _symbols = symbols;
        _names = names;
        _references = references;
    }

    public ElementNameResolver Names => _names;

    public DriverSymbols Symbols => _symbols;

    /// <summary>The same builder, asking <paramref name="references"/> for locals, captures and helper results.</summary>
    public FilterModelBuilder With(IFilterReferenceResolver? references) =>
        ReferenceEquals(references, _references) ? this : new FilterModelBuilder(_symbols, _names, references);

    public FilterNode Build(IOperation? filter, ITypeSymbol documentType, CancellationToken cancellationToken = default) =>
        Build(filter, documentType, 0, cancellationToken);

    private FilterNode Build(IOperation? operation, ITypeSymbol document, int depth, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (operation is null || depth > MaxDepth)
        {
            return Filter.Unknown("the filter is too deep to analyse");
        }

        operation = Unwrap(operation);
        switch (operation)
        {
            case IConversionOperation { OperatorMethod: { } conversionMethod } conversion
                when DriverSymbols.Is(conversionMethod.ContainingType, _symbols.FilterDefinition):
                return BuildConvertedValue(conversion.Operand, document, depth, ct);

            case IDelegateCreationOperation or IAnonymousFunctionOperation:
                return BuildLambda(operation, document, depth, ct);

            case IPropertyReferenceOperation { Property.Name: "Empty" } property
                when IsFilterType(property.Property.ContainingType):
                return Filter.Empty;

            case IInvocationOperation invocation when DriverSymbols.Is(invocation.TargetMethod.ContainingType, _symbols.FilterDefinitionBuilder):
                return BuildBuilderCall(invocation, depth, ct);

            case IBinaryOperation { OperatorMethod: { } binaryMethod } binary
                when DriverSymbols.Is(binaryMethod.ContainingType, _symbols.FilterDefinition):
                var left = Build(binary.LeftOperand, document, depth + 1, ct);
                var right = Build(binary.RightOperand, document, depth + 1, ct);
                return binary.OperatorKind switch
                {
                    BinaryOperatorKind.And => Filter.And(left, right),
                    BinaryOperatorKind.Or => Filter.Or(left, right),
                    _ => Filter.Unknown("unsupported filter operator"),
                };

            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: { } unaryMethod } unary
                when DriverSymbols.Is(unaryMethod.ContainingType, _symbols.FilterDefinition):
                return Filter.Not(Build(unary.Operand, document, depth + 1, ct));

            case IObjectCreationOperation creation:
                return BuildCreation(creation, document, depth, ct);

            case IConditionalOperation { WhenFalse: not null } conditional:
                return Filter.Choice(ImmutableArray.Create(
                    new FilterPath(Flow.ConditionText.Describe(conditional.Condition, true), Build(conditional.WhenTrue, document, depth + 1, ct)),
                    new FilterPath(Flow.ConditionText.Describe(conditional.Condition, false), Build(conditional.WhenFalse, document, depth + 1, ct))));

            case ICoalesceOperation coalesce:
                return Filter.Choice(ImmutableArray.Create(
                    new FilterPath("'" + Text(coalesce.Value) + "' is not null", Build(coalesce.Value, document, depth + 1, ct)),
                    new FilterPath("'" + Text(coalesce.Value) + "' is null", Build(coalesce.WhenNull, document, depth + 1, ct))));

            case ISwitchExpressionOperation switchExpression:
                return BuildSwitch(switchExpression, document, depth, ct);
        }

        return BuildReference(operation, document, depth);
    }

    // A lambda here would capture Build's parameters, and C# allocates the closure when Build is entered: on every call.
    private FilterNode BuildSwitch(ISwitchExpressionOperation switchExpression, ITypeSymbol document, int depth, CancellationToken ct)
    {
        var paths = ImmutableArray.CreateBuilder<FilterPath>(switchExpression.Arms.Length);
        foreach (var arm in switchExpression.Arms)
        {
            paths.Add(new FilterPath($"'{Text(switchExpression.Value)}' matches {Text(arm.Pattern)}", Build(arm.Value, document, depth + 1, ct)));
        }

        return Filter.Choice(paths.MoveToImmutable());
    }

    /// <summary>
    /// A local, flow capture or helper-method result holding a filter: the flow analysis follows these through
    /// code when it is attached; parameters, fields and values from outside the compilation stay unknown.
    /// </summary>
    private FilterNode BuildReference(IOperation operation, ITypeSymbol document, int depth) =>
        _references?.Resolve(operation, document, depth + 1) ?? Unknown(operation);

    private static FilterNode Unknown(IOperation operation) =>
        Filter.Unknown($"'{Text(operation)}' is not visible to QueryGuard");

    /// <summary>The source of an implicit conversion to <c>FilterDefinition&lt;T&gt;</c>: a string, a BsonDocument or an expression.</summary>
    private FilterNode BuildConvertedValue(IOperation value, ITypeSymbol document, int depth, CancellationToken ct)
    {
        value = Unwrap(value);
        if (value.Type?.SpecialType == SpecialType.System_String || value.ConstantValue is { HasValue: true, Value: string })
        {
            return BuildJson(value);
        }

        if (_names.IsBsonDocument(value.Type))
        {
            return FilterDocumentTranslator.Translate(ReadBsonDocument(value, depth, ct));
        }

        return Build(value, document, depth + 1, ct);
    }

    private static FilterNode BuildJson(IOperation value) =>
        value.ConstantValue is { HasValue: true, Value: string json }
            ? FilterDocumentTranslator.Translate(FilterDocumentReader.FromJson(json))
            : Unknown(value);

    private FilterNode BuildCreation(IObjectCreationOperation creation, ITypeSymbol document, int depth, CancellationToken ct)
    {
        var type = creation.Type;
        var argument = creation.Arguments.Length > 0 ? creation.Arguments[0].Value : null;
        if (DriverSymbols.Is(type, _symbols.BsonDocumentFilterDefinition) && argument is not null)
        {
            return FilterDocumentTranslator.Translate(ReadBsonDocument(argument, depth, ct));
        }

        if (DriverSymbols.Is(type, _symbols.JsonFilterDefinition) && argument is not null)
        {
            return BuildJson(Unwrap(argument));
        }

        if (DriverSymbols.Is(type, _symbols.ExpressionFilterDefinition) && argument is not null)
        {
            return Build(argument, document, depth + 1, ct);
        }

        if (_names.IsBsonDocument(type))
        {
            return FilterDocumentTranslator.Translate(ReadBsonDocument(creation, depth, ct));
        }

        return Filter.Unknown($"'{Text(creation)}' is not a filter QueryGuard understands");
    }

    // ---- Builders<T>.Filter ---------------------------------------------------------------------------------

    private FilterNode BuildBuilderCall(IInvocationOperation invocation, int depth, CancellationToken ct)
    {
        var method = invocation.TargetMethod;
        var document = method.ContainingType.TypeArguments[0];
        switch (method.Name)
        {
            case "Eq":
                return Filter.Eq(FieldPath(invocation, document), ValueOf(Argument(invocation, "value")));
            case "Ne":
                return Filter.Ne(FieldPath(invocation, document), ValueOf(Argument(invocation, "value")));
            case "In":
                return Filter.In(FieldPath(invocation, document), ListOf(Argument(invocation, "values")));
            case "Nin":
                return Filter.Nin(FieldPath(invocation, document), ListOf(Argument(invocation, "values")));
            case "Gt":
            case "Gte":
            case "Lt":
            case "Lte":
                return new RangeFilter(FieldPath(invocation, document), "$" + method.Name.ToLowerInvariant());
            case "Exists":
                var exists = Argument(invocation, "exists");
                return new ExistsFilter(FieldPath(invocation, document), exists?.ConstantValue is not { HasValue: true, Value: false });
            case "Regex":
                return new RegexFilter(FieldPath(invocation, document), FilterDocumentTranslator.IsAnchored(RegexPattern(Argument(invocation, "regex"))));
            case "Text":
                return TextFilter.Instance;
            case "Type":
                return new TypeFilter(FieldPath(invocation, document));
            case "OfType":
                // A discriminator test, ANDed with the derived type's filter when one is given.
                var inner = Argument(invocation, "derivedDocumentFilter");
                var derived = method.TypeArguments.Length > 0 ? method.TypeArguments[0] : document;
                return inner is null
                    ? new TypeFilter("_t")
                    : Filter.And(new TypeFilter("_t"), Build(inner, derived, depth + 1, ct));
            case "Where":
                return Build(Argument(invocation, "expression"), document, depth + 1, ct);
            case "Not":
                return Filter.Not(Build(Argument(invocation, "filter"), document, depth + 1, ct));
            case "And":
            case "Or":
                return BuildLogical(invocation, document, method.Name == "And", depth, ct);
            case "AnyNe":
            case "AnyNin":
            case "StringNin":
                return new NegFilter(FieldPath(invocation, document), "$" + method.Name);
        }

        // ElemMatch, All, AnyEq, AnyIn, AnyGt.., Size.., Mod, Bits.., Geo.., Near.., JsonSchema, StringIn, EncStr..:
        // conditions that narrow by a field but never target a shard.
        return new FieldFilter(FieldPath(invocation, document), method.Name);
    }

    private FilterNode BuildLogical(IInvocationOperation invocation, ITypeSymbol document, bool isAnd, int depth, CancellationToken ct)
    {
        var filters = Argument(invocation, "filters");
        var elements = ElementsOf(filters);
        if (elements.IsDefault)
        {
            // A list built at run time: the flow analysis knows its items on each path.
            if (filters is not null && _references?.ResolveList(filters, document, depth + 1) is { } lists)
            {
                var paths = ImmutableArray.CreateBuilder<FilterPath>(lists.Length);
                foreach (var list in lists)
                {
                    paths.Add(new FilterPath(
                        list.Condition,
                        list.Items.IsEmpty
                            // And/Or over an empty list: nothing narrows the write (RULES.md QG1002).
                            ? Filter.Empty
                            : isAnd ? Filter.And(list.Items) : Filter.Or(list.Items)));
                }

                return Filter.Choice(paths.MoveToImmutable());
            }

            return Filter.Unknown($"the filters passed to {(isAnd ? "And" : "Or")} are built at run time");
        }

        if (elements.Length == 0)
        {
            // {$and: []} / {$or: []}: the server rejects the operation; it matches no document.
            return Filter.Nothing;
        }

        var operands = new FilterNode[elements.Length];
        for (var i = 0; i < operands.Length; i++)
        {
            operands[i] = Build(elements[i], document, depth + 1, ct);
        }

        return isAnd ? Filter.And(operands) : Filter.Or(operands);
    }

    /// <summary>The stored path named by the <c>field</c> argument: a lambda, a string, or a field definition object.</summary>
    private string? FieldPath(IInvocationOperation invocation, ITypeSymbol document)
    {
        var field = Argument(invocation, "field");
        return field is null ? null : FieldPath(field, document);
    }

    private string? FieldPath(IOperation field, ITypeSymbol document)
    {
        field = Unwrap(field);
        switch (field)
        {
            case IConversionOperation { OperatorMethod: not null } conversion:
                return FieldPath(conversion.Operand, document);
            case IDelegateCreationOperation or IAnonymousFunctionOperation:
                var lambda = LambdaOf(field);
                var body = lambda is null ? null : LambdaBody(lambda);
                var parameter = lambda?.Symbol.Parameters.FirstOrDefault();
                return body is null || parameter is null ? null : MemberPath(body, parameter);
            case IObjectCreationOperation { Arguments.Length: > 0 } creation:
                return FieldPath(creation.Arguments[0].Value, document);
        }

        return field.ConstantValue is { HasValue: true, Value: string name } ? _names.ResolveStringPath(document, name) : null;
    }

    private static string? RegexPattern(IOperation? regex)
    {
        if (regex is null)
        {
            return null;
        }

        regex = Unwrap(regex);
        if (regex is IConversionOperation { OperatorMethod: not null } conversion)
        {
            regex = Unwrap(conversion.Operand);
        }

        if (regex is IObjectCreationOperation { Arguments.Length: > 0 } creation)
        {
            regex = Unwrap(creation.Arguments[0].Value);
        }

        return regex.ConstantValue is { HasValue: true, Value: string pattern } ? pattern : null;
    }

    // ---- Lambdas (expression trees the driver translates) ------------------------------------------------

    private FilterNode BuildLambda(IOperation operation, ITypeSymbol document, int depth, CancellationToken ct)
    {
        var lambda = LambdaOf(operation);
        var parameter = lambda?.Symbol.Parameters.FirstOrDefault();
        var body = lambda is null ? null : LambdaBody(lambda);
        if (body is null || parameter is null)
        {
            return Filter.Unknown("the lambda has a statement body");
        }

        return Predicate(body, parameter, depth + 1, ct);
    }

    private FilterNode Predicate(IOperation expression, IParameterSymbol parameter, int depth, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        expression = Unwrap(expression);
        if (depth > MaxDepth)
        {
            return Filter.Unknown("the lambda is too deep to analyse");
        }

        if (expression.ConstantValue is { HasValue: true, Value: bool constant })
        {
            // The driver renders x => true as {} and x => false as a filter that matches nothing.
            return constant ? Filter.Empty : Filter.Nothing;
        }

        if (!UsesParameter(expression, parameter))
        {
            // Evaluated on the client and folded to a constant before the query is sent (reference §3.4).
            return new ClientCondition(Flow.ConditionText.Describe(expression, true), KnownNullTest(expression));
        }

        switch (expression)
        {
            case IBinaryOperation binary:
                return binary.OperatorKind switch
                {
                    BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And when IsBoolean(binary) =>
                        Filter.And(Predicate(binary.LeftOperand, parameter, depth + 1, ct), Predicate(binary.RightOperand, parameter, depth + 1, ct)),
                    BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.Or when IsBoolean(binary) =>
                        Filter.Or(Predicate(binary.LeftOperand, parameter, depth + 1, ct), Predicate(binary.RightOperand, parameter, depth + 1, ct)),
                    _ => Comparison(binary, parameter),
                };

            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Filter.Not(Predicate(not.Operand, parameter, depth + 1, ct));

            case IInvocationOperation invocation:
                return MethodPredicate(invocation, parameter);
        }

        // A bool member on its own: x => x.Archived is {archived: true}.
        if (expression.Type?.SpecialType == SpecialType.System_Boolean && MemberPath(expression, parameter) is { } boolPath)
        {
            return Filter.Eq(boolPath, new FilterValue("true"));
        }

        return Filter.Unknown($"'{Text(expression)}' cannot be analysed");
    }

    /// <summary>
    /// <c>id == null</c> / <c>id != null</c> on a value the compiler proves not null (nullable analysis on, e.g. after
    /// <c>if (id is null) return;</c>): the client-side condition is known false / true.
    /// </summary>
    private static bool? KnownNullTest(IOperation expression)
    {
        if (expression is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary)
        {
            return null;
        }

        var (value, other) = (Unwrap(binary.LeftOperand), Unwrap(binary.RightOperand));
        if (value.ConstantValue is { HasValue: true, Value: null })
        {
            (value, other) = (other, value);
        }

        if (other.ConstantValue is not { HasValue: true, Value: null } || value.SemanticModel is not { } model
            || !model.GetNullableContext(value.Syntax.SpanStart).WarningsEnabled()
            || model.GetTypeInfo(value.Syntax).Nullability.FlowState != NullableFlowState.NotNull)
        {
            return null;
        }

        return binary.OperatorKind == BinaryOperatorKind.NotEquals;
    }

    private FilterNode Comparison(IBinaryOperation binary, IParameterSymbol parameter)
    {
        var (path, value, flipped) = MemberPath(binary.LeftOperand, parameter) is { } leftPath && !UsesParameter(binary.RightOperand, parameter)
            ? (leftPath, binary.RightOperand, false)
            : MemberPath(binary.RightOperand, parameter) is { } rightPath && !UsesParameter(binary.LeftOperand, parameter)
                ? (rightPath, binary.LeftOperand, true)
                : (null, null, false);

        if (path is null || value is null)
        {
            // A field compared with another field, or a computed field: an $expr QueryGuard does not model.
            return Filter.Unknown($"'{Text(binary)}' cannot be analysed");
        }

        switch (binary.OperatorKind)
        {
            case BinaryOperatorKind.Equals:
                return Filter.Eq(path, ValueOf(value));
            case BinaryOperatorKind.NotEquals:
                return Filter.Ne(path, ValueOf(value));
            case BinaryOperatorKind.LessThan:
                return new RangeFilter(path, flipped ? "$gt" : "$lt");
            case BinaryOperatorKind.LessThanOrEqual:
                return new RangeFilter(path, flipped ? "$gte" : "$lte");
            case BinaryOperatorKind.GreaterThan:
                return new RangeFilter(path, flipped ? "$lt" : "$gt");
            case BinaryOperatorKind.GreaterThanOrEqual:
                return new RangeFilter(path, flipped ? "$lte" : "$gte");
            default:
                return Filter.Unknown($"'{Text(binary)}' cannot be analysed");
        }
    }

    private FilterNode MethodPredicate(IInvocationOperation invocation, IParameterSymbol parameter)
    {
        var method = invocation.TargetMethod;
        var arguments = invocation.Arguments;

        // ids.Contains(x.Field) — Enumerable.Contains or an instance Contains on a client-side collection: $in.
        if (method.Name == "Contains")
        {
            var (source, item) = method.IsStatic && arguments.Length == 2
                ? (arguments[0].Value, arguments[1].Value)
                : (invocation.Instance, arguments.Length == 1 ? arguments[0].Value : null);
            if (source is not null && item is not null)
            {
                if (!UsesParameter(source, parameter) && MemberPath(item, parameter) is { } inPath)
                {
                    return Filter.In(inPath, ListOf(source));
                }

                if (MemberPath(source, parameter) is { } arrayPath && !UsesParameter(item, parameter))
                {
                    // x.Name.Contains("a") is an unanchored regex; x.Tags.Contains(v) matches an array element.
                    return source.Type?.SpecialType == SpecialType.System_String
                        ? new RegexFilter(arrayPath, Anchored: false)
                        : new FieldFilter(arrayPath, "$elemMatch");
                }
            }
        }

        if (invocation.Instance is { } instance && MemberPath(instance, parameter) is { } memberPath
            && arguments.All(a => !UsesParameter(a.Value, parameter)))
        {
            switch (method.Name)
            {
                case "StartsWith" when instance.Type?.SpecialType == SpecialType.System_String:
                    return new RegexFilter(memberPath, Anchored: true);
                case "EndsWith" when instance.Type?.SpecialType == SpecialType.System_String:
                    return new RegexFilter(memberPath, Anchored: false);
                case "Equals" when arguments.Length == 1:
                    return Filter.Eq(memberPath, ValueOf(arguments[0].Value));
            }
        }

        if (method.IsStatic && arguments.Length > 0 && MemberPath(arguments[0].Value, parameter) is { } firstPath)
        {
            switch (method.Name)
            {
                case "IsNullOrEmpty" when method.ContainingType.SpecialType == SpecialType.System_String:
                    return Filter.In(firstPath, new FilterList("[null, \"\"]", ListSize.Several));
                case "Any" or "All" or "Contains":
                    return new FieldFilter(firstPath, "$elemMatch");
            }
        }

        return Filter.Unknown($"'{Text(invocation)}' cannot be analysed");
    }

    /// <summary>
    /// The stored path of a member chain on the lambda parameter (<c>x.Owner.Id</c> → <c>owner._id</c>), or null
    /// when the expression is not such a chain.
    /// </summary>
    private string? MemberPath(IOperation operation, IParameterSymbol parameter)
    {
        operation = Unwrap(operation);
        switch (operation)
        {
            case IParameterReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter):
                return string.Empty;
            case IPropertyReferenceOperation { Property.IsIndexer: false, Instance: { } instance } property:
                return Append(MemberPath(instance, parameter), property.Property);
            case IFieldReferenceOperation { Instance: { } instance } field:
                return Append(MemberPath(instance, parameter), field.Field);
        }

        return null;

        string? Append(string? prefix, ISymbol member)
        {
            if (prefix is null)
            {
                return null;
            }

            // Nullable<T>.Value is the same stored field.
            if (member.ContainingType.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                return member.Name == "Value" ? prefix : null;
            }

            // Members of BCL types (string.Length, DateTime.Year) are computed, not stored.
            if (Driver.DriverSymbols.IsUnderRootNamespace(member, "System"))
            {
                return null;
            }

            var name = _names.GetElementName(member);
            return prefix.Length == 0 ? name : prefix + "." + name;
        }
    }

    // ---- BsonDocument built in code -----------------------------------------------------------------------

    private DocDocument ReadBsonDocument(IOperation operation, int depth, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        operation = Unwrap(operation);
        if (depth > MaxDepth)
        {
            return DocDocument.Unseen;
        }

        if (operation is IInvocationOperation { TargetMethod.Name: "Parse", Arguments.Length: > 0 } parse && _names.IsBsonDocument(parse.TargetMethod.ContainingType))
        {
            return parse.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string json }
                ? FilterDocumentReader.FromJson(json)
                : DocDocument.Unseen;
        }

        if (operation is not IObjectCreationOperation creation || !_names.IsBsonDocument(creation.Type))
        {
            return DocDocument.Unseen;
        }

        var elements = ImmutableArray.CreateBuilder<DocElement>();
        var arguments = creation.Arguments;
        if (arguments.Length == 2 && arguments[0].Value.ConstantValue is { HasValue: true, Value: string name })
        {
            elements.Add(new DocElement(name, ReadBsonValue(arguments[1].Value, depth, ct)));
        }
        else if (arguments.Length == 1 && Unwrap(arguments[0].Value) is IObjectCreationOperation element && DriverSymbols.Is(element.Type, _symbols.BsonElement))
        {
            if (ReadBsonElement(element, depth, ct) is not { } single)
            {
                return DocDocument.Unseen;
            }

            elements.Add(single);
        }
        else if (arguments.Length == 1 && arguments[0].Parameter?.Type.SpecialType == SpecialType.System_Boolean)
        {
            // new BsonDocument(allowDuplicateNames): no elements.
        }
        else if (arguments.Length > 0)
        {
            return DocDocument.Unseen;
        }

        if (creation.Initializer is { } initializer)
        {
            foreach (var item in initializer.Initializers)
            {
                switch (item)
                {
                    // { "name", value } collection-initializer entries call Add(string, BsonValue).
                    case IInvocationOperation { Arguments.Length: 2 } add when add.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string key }:
                        elements.Add(new DocElement(key, ReadBsonValue(add.Arguments[1].Value, depth, ct)));
                        break;
                    // ["name"] = value
                    case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Arguments.Length: 1 } indexer } assignment
                        when indexer.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string key }:
                        elements.Add(new DocElement(key, ReadBsonValue(assignment.Value, depth, ct)));
                        break;
                    default:
                        return DocDocument.Unseen;
                }
            }
        }

        return new DocDocument(elements.ToImmutable());
    }

    private DocElement? ReadBsonElement(IObjectCreationOperation element, int depth, CancellationToken ct) =>
        element.Arguments.Length == 2 && element.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string name }
            ? new DocElement(name, ReadBsonValue(element.Arguments[1].Value, depth, ct))
            : null;

    private DocValue ReadBsonValue(IOperation value, int depth, CancellationToken ct)
    {
        var unwrapped = UnwrapAll(value);
        if (_names.IsBsonDocument(unwrapped.Type) || unwrapped is IInvocationOperation { TargetMethod.Name: "Parse" })
        {
            return ReadBsonDocument(unwrapped, depth + 1, ct);
        }

        if (unwrapped is IObjectCreationOperation creation && DriverSymbols.Is(creation.Type, _symbols.BsonArray))
        {
            return ReadBsonArray(creation);
        }

        if (unwrapped is IObjectCreationOperation regex && DriverSymbols.Is(regex.Type, _symbols.BsonRegularExpression))
        {
            return new DocRegex(RegexPattern(regex));
        }

        if (unwrapped is IArrayCreationOperation or IObjectCreationOperation { Initializer: not null } && unwrapped.Type?.SpecialType != SpecialType.System_String)
        {
            var list = ListOf(unwrapped);
            return new DocArray(default, list.Size, list.Text);
        }

        var filterValue = ValueOf(value);
        return new DocScalar(filterValue.Text, filterValue.Nullness, unwrapped.ConstantValue.HasValue ? unwrapped.ConstantValue.Value : null);
    }

    private DocArray ReadBsonArray(IObjectCreationOperation creation)
    {
        if (creation.Initializer is { } initializer)
        {
            return new DocArray(default, FilterList.FromCount(Text(creation), initializer.Initializers.Length).Size, Text(creation));
        }

        if (creation.Arguments.Length == 0)
        {
            return new DocArray(default, ListSize.Empty, Text(creation));
        }

        var list = ListOf(creation.Arguments[0].Value);
        return new DocArray(default, list.Size, list.Text);
    }

    // ---- Values ------------------------------------------------------------------------------------------

    /// <summary>The compared value with what the compiler knows of its nullness.</summary>
    private static FilterValue ValueOf(IOperation? value)
    {
        if (value is null)
        {
            return FilterValue.Opaque;
        }

        var unwrapped = UnwrapAll(value);
        var text = Text(unwrapped);
        if (unwrapped.ConstantValue is { HasValue: true, Value: null } || (unwrapped is IDefaultValueOperation && unwrapped.Type is { IsValueType: false } or { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T }))
        {
            return new FilterValue(text, Nullness.Null);
        }

        return new FilterValue(text, () => FlowNullness(unwrapped));
    }

    private static Nullness FlowNullness(IOperation operation)
    {
        if (operation.SemanticModel is not { } model || operation.Syntax is null)
        {
            return Nullness.NotNull;
        }

        // Where nullable warnings are off (#nullable disable, or a project without nullable), the flow state says
        // nothing the user asked for: QueryGuard does not guess.
        if (!model.GetNullableContext(operation.Syntax.SpanStart).WarningsEnabled())
        {
            return Nullness.NotNull;
        }

        var info = model.GetTypeInfo(operation.Syntax);
        return info.Nullability.FlowState == NullableFlowState.MaybeNull ? Nullness.MaybeNull : Nullness.NotNull;
    }

    /// <summary>What is known of a list's size: array and collection initialisers, empty constructors, Array.Empty.</summary>
    private static FilterList ListOf(IOperation? list)
    {
        if (list is null)
        {
            return new FilterList("list", ListSize.Unknown);
        }

        var unwrapped = UnwrapAll(list);
        var text = Text(unwrapped);
        switch (unwrapped)
        {
            case IArrayCreationOperation { Initializer: { } initializer }:
                return FilterList.FromCount(text, initializer.ElementValues.Length) with { NullableItem = FirstNullable(initializer.ElementValues) };
            case IArrayCreationOperation { DimensionSizes.Length: 1 } array when array.DimensionSizes[0].ConstantValue is { HasValue: true, Value: 0 }:
                return FilterList.FromCount(text, 0);
            case IObjectCreationOperation { Initializer: { } collectionInitializer }:
                return FilterList.FromCount(text, collectionInitializer.Initializers.Length) with
                {
                    NullableItem = FirstNullable(collectionInitializer.Initializers
                        .Select(i => i is IInvocationOperation { Arguments.Length: 1 } add ? add.Arguments[0].Value : null)
                        .OfType<IOperation>()),
                };
            case IObjectCreationOperation { Arguments.Length: 0 }:
                return FilterList.FromCount(text, 0);
            case IInvocationOperation { TargetMethod.Name: "Empty", Arguments.Length: 0 }:
                return FilterList.FromCount(text, 0);
        }

        return new FilterList(text, ListSize.Unknown, FlowNullness(unwrapped));
    }

    /// <summary>The first item of a written-out list whose value may be null.</summary>
    private static FilterValue? FirstNullable(System.Collections.Generic.IEnumerable<IOperation> items)
    {
        foreach (var item in items)
        {
            var value = ValueOf(item);
            if (value.Nullness != Nullness.NotNull)
            {
                return value;
            }
        }

        return null;
    }

    private static ImmutableArray<IOperation> ElementsOf(IOperation? list)
    {
        if (list is null)
        {
            return default;
        }

        return UnwrapAll(list) switch
        {
            IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
            IObjectCreationOperation { Initializer: { } initializer } when initializer.Initializers.All(i => i is IInvocationOperation { Arguments.Length: 1 }) =>
                ImmutableArray.CreateRange(initializer.Initializers, i => ((IInvocationOperation)i).Arguments[0].Value),
            _ => default,
        };
    }

    // ---- Helpers -----------------------------------------------------------------------------------------

    private bool IsFilterType(INamedTypeSymbol type) =>
        DriverSymbols.Is(type, _symbols.FilterDefinition) || DriverSymbols.Is(type, _symbols.FilterDefinitionBuilder);

    private static bool IsBoolean(IBinaryOperation binary) => binary.Type?.SpecialType == SpecialType.System_Boolean;

    /// <summary>The argument given for a parameter, by name (never by position: overloads order them differently).</summary>
    internal static IOperation? Argument(IInvocationOperation invocation, string parameterName)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == parameterName && argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                return argument.Value;
            }
        }

        return null;
    }

    internal static IAnonymousFunctionOperation? LambdaOf(IOperation operation) => Unwrap(operation) switch
    {
        IAnonymousFunctionOperation lambda => lambda,
        IDelegateCreationOperation { Target: var target } => Unwrap(target) as IAnonymousFunctionOperation,
        IConversionOperation { Operand: var operand } => LambdaOf(operand),
        _ => null,
    };

    /// <summary>The returned expression of an expression-bodied lambda.</summary>
    internal static IOperation? LambdaBody(IAnonymousFunctionOperation lambda) =>
        lambda.Body.Operations.Length >= 1 && lambda.Body.Operations[0] is IReturnOperation { ReturnedValue: { } value }
            ? value
            : null;

    private static bool UsesParameter(IOperation operation, IParameterSymbol parameter)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Skips parentheses and conversions that do not change meaning (no user-defined operator).</summary>
    internal static IOperation Unwrap(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                case IConversionOperation { OperatorMethod: null, IsTryCast: false } conversion:
                    operation = conversion.Operand;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>Also skips user-defined conversions (string → BsonValue and the like), for values.</summary>
    private static IOperation UnwrapAll(IOperation operation)
    {
        while (true)
        {
            operation = Unwrap(operation);
            if (operation is IConversionOperation { Operand: var operand })
            {
                operation = operand;
                continue;
            }

            return operation;
        }
    }

    private static string Text(IOperation operation) => operation.Syntax?.ToString() ?? "?";
}
