using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using QueryGuard.Model;

namespace QueryGuard.Flow;

/// <summary>The items of a list of filters, as the flow analysis tracks it (never seen by rules).</summary>
internal sealed record FilterItems(ImmutableArray<FilterNode> Items) : FilterNode
{
    private string? _text;

    public override string ToString() => _text ??= $"Items({string.Join(", ", Items.Select(i => i.ToString()))})";

    public bool Equals(FilterItems? other) => other is not null && Items.Equals(other.Items);

    public override int GetHashCode() => Items.GetHashCode();
}

/// <summary>
/// Which filters a variable can hold at each point of one method body: a forward dataflow over Roslyn's control-flow
/// graph. The value of a filter local (or of a list of filters, or a flow capture) is a bounded set of alternatives,
/// each with the condition of the branch that produced it, so <c>var f = Empty; if (id != null) f &amp;= Eq(...);</c>
/// reaches the write as "Eq when 'id' is not null, Empty when 'id' is null". Alternatives are capped, so the
/// analysis is linear in the size of the method however many branches it has; a graph that does not settle, or a
/// variable written where the graph cannot follow (a lambda, a finally block, a ref argument), is unknown.
/// </summary>
internal sealed class FilterFlowAnalysis
{
    internal const int MaxAlternatives = 8;
    private const int MaxRounds = 12;

    private readonly ControlFlowGraph _graph;
    private readonly FilterFlowContext _context;
    private readonly State?[] _entry;
    private readonly string?[] _blockCondition;
    private readonly HashSet<ILocalSymbol> _escaped = new(SymbolEqualityComparer.Default);

    /// <summary>The blocks' operations that write some local anywhere inside them (found once, by FindEscapes).</summary>
    private readonly HashSet<IOperation> _writesLocals = new();
    private bool _failed;

    private FilterFlowAnalysis(ControlFlowGraph graph, FilterFlowContext context)
    {
        _graph = graph;
        _context = context;
        _entry = new State?[graph.Blocks.Length];
        _blockCondition = new string?[graph.Blocks.Length];
    }

    /// <summary>How many operations were interpreted: the linear-time test reads it.</summary>
    public int Transfers { get; private set; }

    public ControlFlowGraph Graph => _graph;

    public static FilterFlowAnalysis Run(ControlFlowGraph graph, FilterFlowContext context)
    {
        var analysis = new FilterFlowAnalysis(graph, context);
        analysis.Solve();
        return analysis;
    }

    /// <summary>
    /// A resolver for the values in force just before the operation written as <paramref name="syntax"/> runs, or
    /// null when that operation is not in this graph.
    /// </summary>
    public IFilterReferenceResolver? ResolverAt(SyntaxNode syntax)
    {
        foreach (var block in _graph.Blocks)
        {
            for (var i = 0; i < block.Operations.Length; i++)
            {
                if (Contains(block.Operations[i], syntax))
                {
                    return ResolverBefore(block, i);
                }
            }

            if (block.BranchValue is { } branch && Contains(branch, syntax))
            {
                return ResolverBefore(block, block.Operations.Length);
            }
        }

        return null;
    }

    /// <summary>The value a helper returns: the union of its return statements' values (used for helper summaries).</summary>
    public FilterNode? ReturnedValue(ITypeSymbol documentType)
    {
        if (_failed)
        {
            return null;
        }

        var paths = ImmutableArray.CreateBuilder<FilterPath>();
        foreach (var block in _graph.Blocks)
        {
            if (block.FallThroughSuccessor?.Semantics != ControlFlowBranchSemantics.Return || block.BranchValue is not { } returned)
            {
                continue;
            }

            var state = Exit(block);
            if (state is null)
            {
                continue;
            }

            var value = Evaluate(returned, documentType, state, _blockCondition[block.Ordinal]);
            paths.AddRange(value);
        }

        return paths.Count == 0 ? null : ToNode(Cap(paths.ToImmutable()));
    }

    /// <summary>
    /// What <see cref="ReturnedValue"/> gives for a body that is one returned expression without locals, from that
    /// expression's model: the same normalisation, without a graph (<see cref="HelperSummaries"/>).
    /// </summary>
    internal static FilterNode ReturnedExpression(FilterNode node) =>
        node is ChoiceFilter choice ? ToNode(NormalizedPaths(choice)) : Normalize(node);

    // ---- Solving --------------------------------------------------------------------------------------

    private void Solve()
    {
        FindEscapes();
        ComputeBlockConditions();

        var blocks = _graph.Blocks;
        _entry[0] = State.Empty;
        var exits = new State?[blocks.Length];

        // Without a loop every predecessor comes before its block, so one round in block order is already the answer.
        var acyclic = blocks.All(block => block.Predecessors.All(branch => branch.Source.Ordinal < block.Ordinal));
        for (var round = 0; ; round++)
        {
            _context.CancellationToken.ThrowIfCancellationRequested();
            if (round == MaxRounds)
            {
                _failed = true;
                return;
            }

            var changed = false;
            foreach (var block in blocks)
            {
                var entry = block.Ordinal == 0 ? State.Empty : Join(block, exits);
                if (entry is null)
                {
                    continue;
                }

                _entry[block.Ordinal] = entry;
                var exit = Transfer(block, entry, block.Operations.Length);
                if (exits[block.Ordinal] is not { } previous || !previous.SameAs(exit))
                {
                    exits[block.Ordinal] = exit;
                    changed = true;
                }
            }

            if (!changed || acyclic)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The state entering a block: the union of its predecessors' exits. An alternative that only some predecessors
    /// bring, through a conditional branch, is labelled with that branch's condition. A block with no explicit
    /// predecessor inside a catch or finally region is entered by an exception edge the graph does not draw: unknown.
    /// </summary>
    private State? Join(BasicBlock block, State?[] exits)
    {
        if (block.Predecessors.IsEmpty)
        {
            return block.EnclosingRegion.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.Finally
                or ControlFlowRegionKind.FilterAndHandler or ControlFlowRegionKind.TryAndCatch or ControlFlowRegionKind.TryAndFinally
                ? State.Unknown
                : null;
        }

        // Few predecessors and a handful of values per state: arrays and loops, no LINQ (this runs for every block).
        var predecessors = block.Predecessors;
        var states = new State[predecessors.Length];
        var branches = new ControlFlowBranch[predecessors.Length];
        var count = 0;
        foreach (var branch in predecessors)
        {
            if (exits[branch.Source.Ordinal] is { } exit)
            {
                states[count] = exit;
                branches[count] = branch;
                count++;
            }
        }

        if (count == 0)
        {
            return null;
        }

        if (count == 1)
        {
            return states[0];
        }

        // Branches that did not touch a tracked value bring the very same state (Apply returns it unchanged): the
        // union of n copies is that state, and every alternative is shared by all, so no branch label is added.
        var sameValues = true;
        for (var i = 0; i < count; i++)
        {
            if (states[i].IsUnknown)
            {
                return State.Unknown;
            }

            sameValues &= ReferenceEquals(states[i].Values, states[0].Values);
        }

        if (sameValues)
        {
            return states[0];
        }

        var values = new List<KeyValuePair<object, ImmutableArray<FilterPath>>>();
        var conditions = new string?[count];
        var everywhere = new ImmutableArray<FilterPath>[count];
        for (var i = 0; i < count; i++)
        {
            var state = states[i].Values;
            for (var k = 0; k < state.Count; k++)
            {
                var key = state.EntryAt(k).Key;
                if (!IsMerged(values, key))
                {
                    values.Add(new(key, Merge(key)));
                }
            }
        }

        return new State(new ValueMap(values.ToArray()), false);

        // The key's alternatives from every incoming state that has it, each labelled with its branch's condition
        // unless every branch brings it.
        ImmutableArray<FilterPath> Merge(object key)
        {
            var have = 0;
            for (var i = 0; i < count; i++)
            {
                everywhere[i] = states[i].Values.TryGetValue(key, out var alternatives) ? alternatives : default;
                have += alternatives.IsDefault ? 0 : 1;
            }

            // Assigned on some paths only: unassigned elsewhere (the compiler rejects reading it), keep what is known.
            var inAll = have == count;
            if (inAll && AllEqual(everywhere))
            {
                // The same alternatives from every branch (the same array): shared by all, so unchanged.
                return everywhere[0];
            }

            var merged = ImmutableArray.CreateBuilder<FilterPath>();
            for (var i = 0; i < count; i++)
            {
                if (everywhere[i].IsDefault)
                {
                    continue;
                }

                foreach (var alternative in everywhere[i])
                {
                    var label = !(inAll && SharedByAll(everywhere, alternative)) && (conditions[i] ??= BranchCondition(branches[i]) ?? string.Empty) is { Length: > 0 } condition
                        ? condition
                        : alternative.Condition;
                    merged.Add(label == alternative.Condition ? alternative : alternative with { Condition = label });
                }
            }

            return Cap(merged.ToImmutable());
        }
    }

    private static bool IsMerged(List<KeyValuePair<object, ImmutableArray<FilterPath>>> values, object key)
    {
        foreach (var value in values)
        {
            if (KeyComparer.Instance.Equals(value.Key, key))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AllEqual(ImmutableArray<FilterPath>[] alternatives)
    {
        for (var i = 1; i < alternatives.Length; i++)
        {
            if (!alternatives[i].Equals(alternatives[0]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SharedByAll(ImmutableArray<FilterPath>[] alternatives, FilterPath alternative)
    {
        foreach (var paths in alternatives)
        {
            var found = false;
            foreach (var path in paths)
            {
                if (SameKey(path, alternative))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    private State Transfer(BasicBlock block, State state, int count)
    {
        if (state.IsUnknown)
        {
            return state;
        }

        for (var i = 0; i < count; i++)
        {
            state = Apply(block.Operations[i], state, _blockCondition[block.Ordinal]);
        }

        return state;
    }

    private State? Exit(BasicBlock block) =>
        _entry[block.Ordinal] is { } entry ? Transfer(block, entry, block.Operations.Length) : null;

    private IFilterReferenceResolver? ResolverBefore(BasicBlock block, int index)
    {
        if (_failed || _entry[block.Ordinal] is not { } entry)
        {
            return new Resolver(this, State.Unknown);
        }

        return new Resolver(this, Transfer(block, entry, index));
    }

    /// <summary>Interprets one operation of a block: assignments, <c>&amp;=</c>/<c>|=</c>, flow captures, <c>list.Add</c>.</summary>
    private State Apply(IOperation operation, State state, string? condition)
    {
        Transfers++;
        var blockOperation = operation;
        if (operation is IExpressionStatementOperation statement)
        {
            operation = statement.Operation;
        }

        switch (operation)
        {
            case IFlowCaptureOperation capture when TrackedType(capture.Value.Type) is { } captureDocument:
                return state.With(capture.Id, Evaluate(capture.Value, captureDocument, state, condition));

            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when Tracks(target.Local) is { } document:
                return state.With(target.Local, IsListType(target.Local.Type)
                    ? EvaluateList(assignment.Value, document, state, condition)
                    : Evaluate(assignment.Value, document, state, condition));

            case ICompoundAssignmentOperation { Target: ILocalReferenceOperation target, OperatorKind: BinaryOperatorKind.And or BinaryOperatorKind.Or } compound
                when Tracks(target.Local) is { } document && !IsListType(target.Local.Type):
                return ApplyCompound(compound, target.Local, document, state, condition);

            case IInvocationOperation { TargetMethod.Name: "Add", Instance: ILocalReferenceOperation list, Arguments.Length: 1 } add
                when Tracks(list.Local) is { } listDocument && IsListType(list.Local.Type):
                return ApplyAdd(add, list.Local, listDocument, state, condition);
        }

        // Any other write to a tracked local (a nested assignment, a call on a list, a ref argument) makes it unknown.
        if (!_writesLocals.Contains(blockOperation))
        {
            return state;
        }

        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (WrittenLocal(descendant) is { } written && Tracks(written) is not null)
            {
                state = state.With(written, Unknown(condition));
            }
        }

        return state;
    }

    // Separate from Apply: their lambdas capture Apply's parameters, and C# would allocate that closure on every call.
    private State ApplyCompound(ICompoundAssignmentOperation compound, ILocalSymbol local, ITypeSymbol document, State state, string? condition)
    {
        var isAnd = compound.OperatorKind == BinaryOperatorKind.And;
        var operand = ToNode(Evaluate(compound.Value, document, state, condition));
        var before = state.Values.TryGetValue(local, out var current) ? current : Unknown(condition);
        return state.With(local, Cap(ImmutableArray.CreateRange(before, alternative => new FilterPath(
            condition ?? alternative.Condition,
            Normalize(isAnd ? Filter.And(alternative.Filter, operand) : Filter.Or(alternative.Filter, operand))))));
    }

    private State ApplyAdd(IInvocationOperation add, ILocalSymbol list, ITypeSymbol document, State state, string? condition)
    {
        var item = ToNode(Evaluate(add.Arguments[0].Value, document, state, condition));
        var lists = state.Values.TryGetValue(list, out var existing) ? existing : Unknown(condition);
        return state.With(list, Cap(ImmutableArray.CreateRange(lists, alternative => alternative.Filter is FilterItems items
            ? new FilterPath(condition ?? alternative.Condition, new FilterItems(items.Items.Add(item)))
            : alternative)));
    }

    private static ILocalSymbol? WrittenLocal(IOperation operation) => operation switch
    {
        IAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
        IInvocationOperation { Instance: ILocalReferenceOperation instance } => instance.Local,
        IArgumentOperation { Parameter.RefKind: not RefKind.None, Value: ILocalReferenceOperation byRef } => byRef.Local,
        _ => null,
    };

    /// <summary>
    /// A value as the user wrote it: the graph lowers lambdas and conditionals (flow captures), while the filter
    /// builder reads the ordinary operation tree, so each value is read through its own syntax.
    /// </summary>
    private IOperation Original(IOperation value) =>
        _graph.OriginalOperation.SemanticModel?.GetOperation(value.Syntax, _context.CancellationToken) ?? value;

    private ImmutableArray<FilterPath> Evaluate(IOperation value, ITypeSymbol document, State state, string? condition)
    {
        var node = _context.Builder.With(new Resolver(this, state)).Build(Original(value), document, _context.CancellationToken);
        return node is ChoiceFilter choice
            ? NormalizedPaths(choice)
            : ImmutableArray.Create(new FilterPath(condition ?? string.Empty, Normalize(node)));
    }

    /// <summary>A choice's paths as a value of the analysis: each filter normalised, the paths distinct and capped.</summary>
    private static ImmutableArray<FilterPath> NormalizedPaths(ChoiceFilter choice) =>
        Cap(ImmutableArray.CreateRange(choice.Paths, p => p with { Filter = Normalize(p.Filter) }));

    private ImmutableArray<FilterPath> EvaluateList(IOperation value, ITypeSymbol document, State state, string? condition)
    {
        var unwrapped = FilterModelBuilder.Unwrap(Original(value));
        switch (unwrapped)
        {
            case IObjectCreationOperation { Arguments.Length: 0, Initializer: null }:
                return ImmutableArray.Create(new FilterPath(condition ?? string.Empty, new FilterItems(ImmutableArray<FilterNode>.Empty)));
            case IObjectCreationOperation { Arguments.Length: 0, Initializer: { } initializer }
                when initializer.Initializers.All(i => i is IInvocationOperation { Arguments.Length: 1 }):
                var items = ImmutableArray.CreateRange(initializer.Initializers, i => ToNode(Evaluate(((IInvocationOperation)i).Arguments[0].Value, document, state, condition)));
                return ImmutableArray.Create(new FilterPath(condition ?? string.Empty, new FilterItems(items)));
            case ILocalReferenceOperation other when state.Values.TryGetValue(other.Local, out var copied):
                return copied;
            default:
                return Unknown(condition);
        }
    }

    // ---- What is tracked ------------------------------------------------------------------------------

    /// <summary>The document type when <paramref name="local"/> holds a filter or a list of filters that is followed.</summary>
    private ITypeSymbol? Tracks(ILocalSymbol local) => _escaped.Contains(local) ? null : TrackedType(local.Type);

    private ITypeSymbol? TrackedType(ITypeSymbol? type) => TrackedType(type, _context.Builder.Symbols);

    /// <summary>
    /// The types of the locals this analysis follows (their document type; null for any other type):
    /// FilterDefinition&lt;T&gt;, Expression&lt;Func&lt;T, bool&gt;&gt;, BsonDocument, or a list of FilterDefinition&lt;T&gt;.
    /// A local of any other type never has a value here, so a filter that reads only such locals needs no graph.
    /// </summary>
    internal static ITypeSymbol? TrackedType(ITypeSymbol? type, Driver.DriverSymbols symbols)
    {
        switch (type)
        {
            case INamedTypeSymbol named when Driver.DriverSymbols.Is(named, symbols.FilterDefinition):
                return named.TypeArguments[0];
            case INamedTypeSymbol { TypeArguments.Length: 1 } expression when Driver.DriverSymbols.Is(expression, symbols.Expression1)
                && expression.TypeArguments[0] is INamedTypeSymbol { TypeArguments.Length: 2 } func
                && func.TypeArguments[1].SpecialType == SpecialType.System_Boolean:
                return func.TypeArguments[0];
            case INamedTypeSymbol named when Driver.DriverSymbols.Is(named, symbols.BsonDocument):
                return named;
            case INamedTypeSymbol { TypeArguments.Length: 1 } list when IsListType(list)
                && list.TypeArguments[0] is INamedTypeSymbol element && Driver.DriverSymbols.Is(element, symbols.FilterDefinition):
                return element.TypeArguments[0];
            default:
                return null;
        }
    }

    private static bool IsListType(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1, Name: "List" or "IList" or "ICollection" } named
        && Driver.DriverSymbols.IsInNamespace(named, "System.Collections.Generic");

    /// <summary>
    /// Locals written where this graph cannot follow: inside lambdas and local functions (their own graphs), or in a
    /// finally block (entered by edges the graph does not draw). Their values are unknown everywhere.
    /// </summary>
    private void FindEscapes()
    {
        foreach (var block in _graph.Blocks)
        {
            var inHandler = false;
            for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
            {
                inHandler |= region.Kind is ControlFlowRegionKind.Finally or ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter;
            }

            foreach (var operation in block.Operations)
            {
                Scan(operation, inHandler);
            }

            if (block.BranchValue is { } branchValue)
            {
                Scan(branchValue, inHandler);
            }
        }

        foreach (var localFunction in _graph.LocalFunctions)
        {
            MarkWritten(localFunction.DeclaringSyntaxReferences);
        }

        void Scan(IOperation operation, bool inHandler)
        {
            foreach (var descendant in operation.DescendantsAndSelf())
            {
                if (descendant is IFlowAnonymousFunctionOperation lambda)
                {
                    MarkWritten(lambda.Symbol.DeclaringSyntaxReferences);
                }
                else if (WrittenLocal(descendant) is { } written)
                {
                    _writesLocals.Add(operation);
                    if (inHandler)
                    {
                        _escaped.Add(written);
                    }
                }
            }
        }

        // Only three kinds of syntax can write a local: an assignment to it, a ref/out argument, a call on it
        // (list.Add). Filters are full of lambdas (x => x.Id == id) that contain none, so look at those alone
        // rather than asking the semantic model about every node.
        void MarkWritten(ImmutableArray<SyntaxReference> references)
        {
            var model = _graph.OriginalOperation.SemanticModel;
            if (model is null)
            {
                return;
            }

            foreach (var reference in references)
            {
                foreach (var node in reference.GetSyntax(_context.CancellationToken).DescendantNodes())
                {
                    var target = node switch
                    {
                        AssignmentExpressionSyntax { Left: IdentifierNameSyntax left } => left,
                        ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax byRef } => byRef,
                        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver } } => receiver,
                        _ => null,
                    };

                    if (target is not null && model.GetSymbolInfo(target, _context.CancellationToken).Symbol is ILocalSymbol local)
                    {
                        _escaped.Add(local);
                    }
                }
            }
        }
    }

    /// <summary>For each block reached only through one branch, the words for when that branch is taken.</summary>
    private void ComputeBlockConditions()
    {
        foreach (var block in _graph.Blocks)
        {
            if (block.Predecessors.Length != 1)
            {
                continue;
            }

            var branch = block.Predecessors[0];
            _blockCondition[block.Ordinal] = BranchCondition(branch) ?? (branch.Source.Ordinal < block.Ordinal ? _blockCondition[branch.Source.Ordinal] : null);
        }
    }

    private static string? BranchCondition(ControlFlowBranch branch)
    {
        var source = branch.Source;
        if (source.ConditionKind == ControlFlowConditionKind.None || source.BranchValue is null)
        {
            return null;
        }

        var whenTrue = source.ConditionKind == ControlFlowConditionKind.WhenTrue;
        var taken = branch.IsConditionalSuccessor ? whenTrue : !whenTrue;
        return ConditionText.Describe(source.BranchValue, taken);
    }

    // ---- Values ---------------------------------------------------------------------------------------

    private static ImmutableArray<FilterPath> Unknown(string? condition) =>
        ImmutableArray.Create(new FilterPath(condition ?? string.Empty, Filter.Unknown("assigned where QueryGuard cannot follow")));

    internal static FilterNode ToNode(ImmutableArray<FilterPath> paths) =>
        paths.Length == 1 ? paths[0].Filter : Filter.Choice(paths);

    /// <summary>Repeated conditions add nothing (<c>f &amp;= Eq(a)</c> in a loop): drop duplicates so loops settle.</summary>
    private static FilterNode Normalize(FilterNode node) => node switch
    {
        AndFilter conjunction when HasDuplicates(conjunction.Operands) => Filter.And(conjunction.Operands.GroupBy(o => o.ToString()).Select(g => g.First())),
        OrFilter disjunction when HasDuplicates(disjunction.Operands) => Filter.Or(disjunction.Operands.GroupBy(o => o.ToString()).Select(g => g.First())),
        _ => node,
    };

    /// <summary>Operands are few: compare their (cached) texts pairwise rather than grouping, which allocates.</summary>
    private static bool HasDuplicates(ImmutableArray<FilterNode> operands)
    {
        for (var i = 1; i < operands.Length; i++)
        {
            var text = operands[i].ToString();
            for (var j = 0; j < i; j++)
            {
                if (operands[j].ToString() == text)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Two alternatives are the same when their condition and filter read the same (texts are cached).</summary>
    private static bool SameKey(FilterPath a, FilterPath b) =>
        ReferenceEquals(a, b) || (a.Condition == b.Condition && a.Filter.ToString() == b.Filter.ToString());

    private static bool SameKeys(ImmutableArray<FilterPath> a, ImmutableArray<FilterPath> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!SameKey(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Distinct alternatives, at most <see cref="MaxAlternatives"/>. When there are more, the ones that matter to the
    /// rules come first: empty filters, then anything with an Or or a client-side condition.
    /// </summary>
    internal static ImmutableArray<FilterPath> Cap(ImmutableArray<FilterPath> paths)
    {
        // Usually a few alternatives, all distinct: compare pairwise and return the array itself.
        List<FilterPath>? distinct = null;
        for (var i = 0; i < paths.Length; i++)
        {
            var repeated = false;
            for (var j = 0; j < i && !repeated; j++)
            {
                repeated = SameKey(paths[j], paths[i]);
            }

            if (repeated)
            {
                distinct ??= new List<FilterPath>(paths.Take(i));
            }
            else
            {
                distinct?.Add(paths[i]);
            }
        }

        var kept = distinct is null ? paths : distinct.ToImmutableArray();
        return kept.Length <= MaxAlternatives ? kept : kept.OrderBy(Badness).Take(MaxAlternatives).ToImmutableArray();

        static int Badness(FilterPath path) => path.Filter switch
        {
            EmptyFilter => 0,
            FilterItems { Items.IsEmpty: true } => 0,
            OrFilter or ClientCondition => 1,
            UnknownFilter => 3,
            _ => 2,
        };
    }

    private static bool Contains(IOperation operation, SyntaxNode syntax) =>
        operation.Syntax.Span.Contains(syntax.Span) && operation.DescendantsAndSelf().Any(o => o.Syntax == syntax);

    // ---- State ----------------------------------------------------------------------------------------

    private sealed class State
    {
        public static readonly State Empty = new(ValueMap.Empty, false);

        /// <summary>Nothing is known (entered through an edge the graph does not draw).</summary>
        public static readonly State Unknown = new(ValueMap.Empty, true);

        public State(ValueMap values, bool isUnknown)
        {
            Values = values;
            IsUnknown = isUnknown;
        }

        public ValueMap Values { get; }

        public bool IsUnknown { get; }

        public State With(object key, ImmutableArray<FilterPath> value) => IsUnknown ? this : new State(Values.SetItem(key, value), false);

        public bool SameAs(State other) =>
            IsUnknown == other.IsUnknown
            && (ReferenceEquals(Values, other.Values) || (Values.Count == other.Values.Count && SameValues(other.Values)));

        private bool SameValues(ValueMap other)
        {
            for (var i = 0; i < Values.Count; i++)
            {
                var pair = Values.EntryAt(i);
                if (!other.TryGetValue(pair.Key, out var theirs) || !(theirs.Equals(pair.Value) || SameKeys(theirs, pair.Value)))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// The values of one state. A method tracks a handful of locals and flow captures, so an array copied on write
    /// does less work than a hash map, which allocates several nodes per update (and states are updated per
    /// assignment). Keys are compared with <see cref="KeyComparer"/>.
    /// </summary>
    private sealed class ValueMap
    {
        public static readonly ValueMap Empty = new(Array.Empty<KeyValuePair<object, ImmutableArray<FilterPath>>>());

        private readonly KeyValuePair<object, ImmutableArray<FilterPath>>[] _entries;

        /// <summary>Takes <paramref name="entries"/> (distinct keys) as they are, without copying.</summary>
        public ValueMap(KeyValuePair<object, ImmutableArray<FilterPath>>[] entries) => _entries = entries;

        public int Count => _entries.Length;

        public KeyValuePair<object, ImmutableArray<FilterPath>> EntryAt(int index) => _entries[index];

        public bool TryGetValue(object key, out ImmutableArray<FilterPath> value)
        {
            var index = IndexOf(key);
            value = index >= 0 ? _entries[index].Value : default;
            return index >= 0;
        }

        public ValueMap SetItem(object key, ImmutableArray<FilterPath> value)
        {
            var index = IndexOf(key);
            var entries = new KeyValuePair<object, ImmutableArray<FilterPath>>[index >= 0 ? _entries.Length : _entries.Length + 1];
            Array.Copy(_entries, entries, _entries.Length);
            entries[index >= 0 ? index : _entries.Length] = new(index >= 0 ? _entries[index].Key : key, value);
            return new ValueMap(entries);
        }

        private int IndexOf(object key)
        {
            for (var i = 0; i < _entries.Length; i++)
            {
                if (KeyComparer.Instance.Equals(_entries[i].Key, key))
                {
                    return i;
                }
            }

            return -1;
        }
    }

    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public static readonly KeyComparer Instance = new();

        public new bool Equals(object? x, object? y) =>
            x is ISymbol a && y is ISymbol b ? SymbolEqualityComparer.Default.Equals(a, b) : object.Equals(x, y);

        public int GetHashCode(object obj) => obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : obj.GetHashCode();
    }

    /// <summary>Answers the filter builder's questions from one state of this analysis.</summary>
    private sealed class Resolver : IFilterReferenceResolver
    {
        private readonly FilterFlowAnalysis _analysis;
        private readonly State _state;

        public Resolver(FilterFlowAnalysis analysis, State state)
        {
            _analysis = analysis;
            _state = state;
        }

        public FilterNode? Resolve(IOperation reference, ITypeSymbol documentType, int depth)
        {
            switch (reference)
            {
                case ILocalReferenceOperation local when !_state.IsUnknown && _state.Values.TryGetValue(local.Local, out var paths) && paths.All(p => p.Filter is not FilterItems):
                    return ToNode(paths);
                case IFlowCaptureReferenceOperation capture when !_state.IsUnknown && _state.Values.TryGetValue(capture.Id, out var captured):
                    return ToNode(captured);
                case IInvocationOperation call:
                    return _analysis._context.Helpers.Summarize(call, _analysis._context.Callers, _analysis._context.CancellationToken);
                default:
                    return null;
            }
        }

        public ImmutableArray<FilterListPath>? ResolveList(IOperation reference, ITypeSymbol documentType, int depth)
        {
            if (_state.IsUnknown
                || FilterModelBuilder.Unwrap(reference) is not ILocalReferenceOperation local
                || !_state.Values.TryGetValue(local.Local, out var paths)
                || paths.Any(p => p.Filter is not FilterItems))
            {
                return null;
            }

            return ImmutableArray.CreateRange(paths, p => new FilterListPath(p.Condition, ((FilterItems)p.Filter).Items));
        }
    }
}
