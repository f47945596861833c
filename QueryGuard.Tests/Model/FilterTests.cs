using System.Collections.Immutable;
using QueryGuard.Model;

namespace QueryGuard.Tests.Model;

/// <summary>The model on its own: the smart constructors apply the driver's rendering rules (reference §2.9, §4.1).</summary>
public class FilterTests
{
    private static readonly FilterNode WorkspaceEq = Filter.Eq("workspaceId", new FilterValue("id"));
    private static readonly FilterNode IdEq = Filter.Eq("_id", new FilterValue("id"));

    [Fact]
    public void And_DropsEmptyOperands() =>
        Assert.Same(WorkspaceEq, Filter.And(Filter.Empty, WorkspaceEq));

    [Fact]
    public void And_OfOnlyEmpty_IsEmpty() =>
        Assert.IsType<EmptyFilter>(Filter.And(Filter.Empty, Filter.Empty));

    [Fact]
    public void And_WithAnOperandMatchingNothing_MatchesNothing() =>
        Assert.IsType<NothingFilter>(Filter.And(WorkspaceEq, Filter.In("_id", FilterList.FromCount("[]", 0))));

    [Fact]
    public void And_Flattens() =>
        Assert.Equal("And(Eq(workspaceId), Eq(_id), Text)", Filter.And(Filter.And(WorkspaceEq, IdEq), TextFilter.Instance).ToString());

    [Fact]
    public void Or_WithAnEmptyBranch_MatchesEverything() =>
        Assert.IsType<EmptyFilter>(Filter.Or(Filter.Empty, WorkspaceEq));

    [Fact]
    public void Or_DropsBranchesMatchingNothing() =>
        Assert.Same(WorkspaceEq, Filter.Or(Filter.Nothing, WorkspaceEq));

    [Fact]
    public void Or_KeepsEveryOtherBranch() =>
        Assert.Equal("Or(Eq(workspaceId), Exists(legacy, true))", Filter.Or(WorkspaceEq, new ExistsFilter("legacy", true)).ToString());

    [Fact]
    public void Not_OfEq_IsNe() =>
        Assert.Equal("Neg(workspaceId $ne)", Filter.Not(WorkspaceEq).ToString());

    [Fact]
    public void Not_OfNe_IsEqualityAgain() =>
        Assert.Equal(WorkspaceEq, Filter.Not(Filter.Not(WorkspaceEq)));

    [Fact]
    public void Not_OfIn_IsNin_AndBack()
    {
        var @in = Filter.In("workspaceId", FilterList.FromCount("[a, b]", 2));
        var nin = Filter.Not(@in);
        Assert.Equal("Neg(workspaceId $nin, Several)", nin.ToString());
        Assert.Equal(@in, Filter.Not(nin));
    }

    [Fact]
    public void Not_OfEmpty_MatchesNothing_AndNotOfNothing_MatchesEverything()
    {
        Assert.IsType<NothingFilter>(Filter.Not(Filter.Empty));
        Assert.IsType<EmptyFilter>(Filter.Not(Filter.Nothing));
    }

    [Fact]
    public void Not_OfExists_FlipsIt() =>
        Assert.Equal("Exists(legacy, false)", Filter.Not(new ExistsFilter("legacy", true)).ToString());

    [Fact]
    public void Not_OfACompoundFilter_StaysANegation() =>
        Assert.Equal("Not(And(Eq(workspaceId), Eq(_id)))", Filter.Not(Filter.And(WorkspaceEq, IdEq)).ToString());

    [Fact]
    public void In_OverAnEmptyList_MatchesNothing_ButNinOverAnEmptyListIsKept()
    {
        Assert.IsType<NothingFilter>(Filter.In("_id", FilterList.FromCount("[]", 0)));
        Assert.Equal("Neg(_id $nin, Empty)", Filter.Nin("_id", FilterList.FromCount("[]", 0)).ToString());
    }

    [Fact]
    public void ClientConditions_FoldWhenTheirValueIsKnown()
    {
        Assert.Same(WorkspaceEq, Filter.And(new ClientCondition("true", true), WorkspaceEq));
        Assert.IsType<EmptyFilter>(Filter.Or(new ClientCondition("true", true), WorkspaceEq));
        Assert.Same(WorkspaceEq, Filter.Or(new ClientCondition("false", false), WorkspaceEq));
        Assert.Equal("Or(Client(flag), Eq(workspaceId))", Filter.Or(new ClientCondition("flag", null), WorkspaceEq).ToString());
    }

    [Fact]
    public void Choice_OfIdenticalPaths_Collapses() =>
        Assert.Same(WorkspaceEq, Filter.Choice(ImmutableArray.Create(new FilterPath("a", WorkspaceEq), new FilterPath("b", WorkspaceEq))));

    [Fact]
    public void Choice_OfDifferentPaths_KeepsEach() =>
        Assert.Equal("Choice(Empty, Eq(workspaceId))", Filter.Choice(ImmutableArray.Create(new FilterPath("c", Filter.Empty), new FilterPath("!c", WorkspaceEq))).ToString());

    [Fact]
    public void Not_OfAChoice_NegatesEachPath() =>
        Assert.Equal("Choice(Nothing, Neg(workspaceId $ne))", Filter.Not(Filter.Choice(ImmutableArray.Create(new FilterPath("c", Filter.Empty), new FilterPath("!c", WorkspaceEq)))).ToString());
}
