using QueryGuard.Tests.Verification;
using static QueryGuard.Tests.Rules.ShardingScenario;

namespace QueryGuard.Tests.Rules;

public class QG2003OrBranchOmitsShardKeyTests
{
    private static readonly Verify Verify = new(RuleIdentifiers.OrBranchOmitsShardKey);

    [Theory]
    [InlineData("_boards.Find([|x => x.WorkspaceId == workspaceId || x.Closed|]);", "_boards.Find(x => x.WorkspaceId == workspaceId || x.WorkspaceId == otherWorkspaceId);")]
    [InlineData("_boards.Find([|B.Or(B.Eq(x => x.WorkspaceId, workspaceId), B.Eq(x => x.Name, name))|]);", "_boards.Find(B.Or(B.Eq(x => x.WorkspaceId, workspaceId), B.Eq(x => x.WorkspaceId, otherWorkspaceId)));")]
    [InlineData("_boards.Find([|B.Eq(x => x.WorkspaceId, workspaceId) | B.Exists(x => x.Name)|]);", "_boards.Find(B.Eq(x => x.WorkspaceId, workspaceId) & B.Exists(x => x.Name));")]
    [InlineData("_boards.Find([|\"{ $or: [ { idWorkspace: 'a' }, { name: 'b' } ] }\"|]);", "_boards.Find(\"{ $or: [ { idWorkspace: 'a' }, { idWorkspace: 'b' } ] }\");")]
    [InlineData("_memberships.Find([|x => x.ModelId == id || x.MemberId == name|]);", "_memberships.Find(x => x.ModelId == id || x.ModelId == name);")]
    // A key condition outside the Or targets on its own.
    [InlineData("_boards.Find([|x => x.Name == name || (x.WorkspaceId == workspaceId && x.Closed)|]);", "_boards.Find(x => x.WorkspaceId == workspaceId && (x.Name == name || x.Closed));")]
    [InlineData("_boards.UpdateMany([|x => x.WorkspaceId == workspaceId || x.Closed|], setName);", "_boards.UpdateMany(x => x.WorkspaceId == workspaceId && x.Closed, setName);")]
    public async Task Or_Reports_AndTwin_NoDiagnostic(string positive, string negative)
    {
        await Verify.DiagnosticsAsync(Code(positive), config: Config);
        await Verify.NoDiagnosticsAsync(Code(negative), config: Config);
    }

    [Fact]
    public async Task OrWithoutAnyKeyCondition_IsQG2001NotQG2003()
    {
        var test = new QueryGuardTest { Source = Code("_boards.Find({|QG2001:x => x.Name == name || x.Closed|});") };
        test.AdditionalFiles["queryguard.json"] = Config;
        await test.RunAsync();
    }
}
