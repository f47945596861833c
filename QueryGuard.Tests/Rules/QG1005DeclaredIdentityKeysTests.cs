using QueryGuard.Tests.Verification;
using static QueryGuard.Tests.Rules.ShardingScenario;

namespace QueryGuard.Tests.Rules;

/// <summary>QG1005 with configuration: a declared unique key or the full shard key identifies a document like _id.</summary>
public class QG1005DeclaredIdentityKeysTests
{
    private static readonly Verify Verify = new(RuleIdentifiers.SingleWriteDoesNotIdentifyDocument);

    private static readonly string WithUniqueKeys = Config.Replace(
        "\"boards\": { \"documentType\": \"Trello.Board\", \"shardKey\": { \"idWorkspace\": 1 } }",
        "\"boards\": { \"documentType\": \"Trello.Board\", \"shardKey\": { \"idWorkspace\": 1 }, \"uniqueKeys\": [[\"name\"], [\"createdAt\", \"closed\"]] }");

    [Theory]
    [InlineData("_boards.UpdateOne([|x => x.Closed|], setName);", "_boards.UpdateOne(x => x.Closed && x.Name == name, setName);")]
    [InlineData("_boards.DeleteOne([|x => x.CreatedAt == from|]);", "_boards.DeleteOne(x => x.CreatedAt == from && x.Closed == true);")]
    [InlineData("_boards.ReplaceOne([|B.Eq(x => x.Closed, true)|], new Board());", "_boards.ReplaceOne(B.Eq(x => x.WorkspaceId, workspaceId), new Board());")]
    [InlineData("_memberships.DeleteOne([|x => x.ModelId == id|]);", "_memberships.DeleteOne(x => x.ModelId == id && x.Id == name);")]
    public async Task DeclaredKeys_Identify_AndTwinWithoutThem_Reports(string positive, string negative)
    {
        Assert.NotEqual(Config, WithUniqueKeys);
        await Verify.DiagnosticsAsync(Code(positive), config: WithUniqueKeys);
        await Verify.NoDiagnosticsAsync(Code(negative), config: WithUniqueKeys);
    }

    [Fact]
    public async Task Message_ListsEveryWayToIdentifyADocument()
    {
        var test = Verify.Test(Code("_boards.UpdateOne({|#0:x => x.Closed|}, setName);"));
        test.AdditionalFiles["queryguard.json"] = WithUniqueKeys;
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.SingleWriteDoesNotIdentifyDocument).WithLocation(0)
            .WithMessage("UpdateOne on 'boards' does not identify a document: the filter has no equality on '_id' or 'name' or { createdAt, closed } or 'idWorkspace', so an arbitrary matching document is changed"));
        await test.RunAsync();
    }
}
