using QueryGuard.Tests.Verification;
using static QueryGuard.Tests.Rules.ShardingScenario;

namespace QueryGuard.Tests.Rules;

public class QG2005MultiWriteSpansShardsTests
{
    private static readonly Verify Verify = new(RuleIdentifiers.MultiWriteSpansShards);

    [Theory]
    [InlineData("_boards.UpdateMany([|B.In(x => x.WorkspaceId, ids)|], setName);", "_boards.UpdateMany(B.Eq(x => x.WorkspaceId, workspaceId), setName);")]
    [InlineData("_boards.DeleteMany([|x => ids.Contains(x.WorkspaceId)|]);", "_boards.DeleteMany(x => new[] { workspaceId }.Contains(x.WorkspaceId));")]
    [InlineData("_boards.DeleteMany([|x => x.WorkspaceId == workspaceId || x.WorkspaceId == otherWorkspaceId|]);", "_boards.DeleteMany(x => x.WorkspaceId == workspaceId && x.Name == otherWorkspaceId);")]
    [InlineData("await _boards.DeleteManyAsync([|B.Gte(x => x.WorkspaceId, workspaceId)|]);", "await _boards.DeleteManyAsync(session, B.Gte(x => x.WorkspaceId, workspaceId));")]
    [InlineData("_boards.BulkWrite(new[] { new DeleteManyModel<Board>([|B.In(x => x.WorkspaceId, ids)|]) });", "_boards.BulkWrite(new[] { new DeleteOneModel<Board>(B.In(x => x.WorkspaceId, ids) & B.Eq(x => x.Id, id)) });")]
    // Reads over several values only reach the owning shards.
    [InlineData("_boards.UpdateMany([|\"{ idWorkspace: { $in: ['a', 'b'] } }\"|], setName);", "_boards.Find(\"{ idWorkspace: { $in: ['a', 'b'] } }\");")]
    public async Task MultiWrite_Reports_AndTwin_NoDiagnostic(string positive, string negative)
    {
        await Verify.DiagnosticsAsync(Code(positive), config: Config);
        await Verify.NoDiagnosticsAsync(Code(negative), config: Config);
    }

    [Fact]
    public async Task IsInfoAndSaysWhy()
    {
        var test = Verify.Test(Code("_boards.UpdateMany({|#0:B.In(x => x.WorkspaceId, ids)|}, setName);"));
        test.AdditionalFiles["queryguard.json"] = Config;
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.MultiWriteSpansShards).WithLocation(0)
            .WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info)
            .WithMessage("UpdateMany on 'boards' spans several shards: the filter matches several values of the shard key 'idWorkspace'; outside a transaction the server sends it to every shard"));
        await test.RunAsync();
    }
}
