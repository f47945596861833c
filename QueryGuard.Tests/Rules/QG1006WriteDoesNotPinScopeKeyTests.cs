using QueryGuard.Tests.Verification;
using static QueryGuard.Tests.Rules.ShardingScenario;

namespace QueryGuard.Tests.Rules;

public class QG1006WriteDoesNotPinScopeKeyTests
{
    private static readonly Verify Verify = new(RuleIdentifiers.WriteDoesNotPinScopeKey);

    [Theory]
    [InlineData("_workspaces.UpdateMany([|x => x.Name == name|], setWorkspaceName);", "_workspaces.UpdateMany(x => x.WorkspaceId == workspaceId && x.Name == name, setWorkspaceName);")]
    [InlineData("_workspaces.DeleteOne([|x => x.Id == id|]);", "_workspaces.DeleteOne(x => x.Id == id && x.WorkspaceId == workspaceId);")]
    [InlineData("await _workspaces.UpdateOneAsync([|W.Eq(x => x.Id, id)|], setWorkspaceName);", "await _workspaces.UpdateOneAsync(W.Eq(x => x.Id, id) & W.Eq(x => x.WorkspaceId, workspaceId), setWorkspaceName);")]
    [InlineData("_workspaces.ReplaceOne([|x => x.Id == id|], new Workspace());", "_workspaces.ReplaceOne(x => x.Id == id && x.WorkspaceId == workspaceId, new Workspace());")]
    [InlineData("_workspaces.DeleteMany([|x => x.WorkspaceId == workspaceId || x.Deleted|]);", "_workspaces.DeleteMany(x => x.WorkspaceId == workspaceId && x.Deleted);")]
    [InlineData("_workspaces.BulkWrite(new[] { new DeleteManyModel<Workspace>([|W.Eq(x => x.Name, name)|]) });", "_workspaces.BulkWrite(new[] { new DeleteManyModel<Workspace>(W.In(x => x.WorkspaceId, ids)) });")]
    [InlineData("_workspaces.DeleteMany([|\"{ name: 'a' }\"|]);", "_workspaces.DeleteMany(\"{ workspaceId: 'a', name: 'a' }\");")]
    // Reads are not writes: a read without the scope key is a broadcast (QG2001), not QG1006.
    [InlineData("_workspaces.DeleteMany([|x => x.Name == name|]);", "_workspaces.Find(x => x.Name == name);")]
    public async Task Write_Reports_AndTwin_NoDiagnostic(string positive, string negative)
    {
        await Verify.DiagnosticsAsync(Code(positive), config: Config);
        await Verify.NoDiagnosticsAsync(Code(negative), config: Config);
    }

    [Fact]
    public async Task WhenTheScopeKeyIsTheShardKey_QG2001IsNotAlsoReported()
    {
        // Every QueryGuard rule is compared: the write gets QG1006 only, the read QG2001.
        var test = new QueryGuardTest { Source = Code("_workspaces.UpdateMany({|#0:x => x.Name == name|}, setWorkspaceName); _workspaces.Find({|QG2001:x => x.Name == name|});") };
        test.AdditionalFiles["queryguard.json"] = Config;
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.WriteDoesNotPinScopeKey).WithLocation(0).WithMessage("UpdateMany on 'workspaces' does not pin the scope key 'workspaceId'"));
        await test.RunAsync();
    }
}
