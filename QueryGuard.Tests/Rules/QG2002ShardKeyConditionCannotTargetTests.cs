using QueryGuard.Tests.Verification;
using static QueryGuard.Tests.Rules.ShardingScenario;

namespace QueryGuard.Tests.Rules;

public class QG2002ShardKeyConditionCannotTargetTests
{
    private static readonly Verify Verify = new(RuleIdentifiers.ShardKeyConditionCannotTarget);

    [Theory]
    // Negations and existence tests never bound the key (reference §1.3).
    [InlineData("_boards.Find([|x => x.WorkspaceId != workspaceId|]);", "_boards.Find(x => x.WorkspaceId == workspaceId);")]
    [InlineData("_boards.Find([|B.Ne(x => x.WorkspaceId, workspaceId)|]);", "_boards.Find(B.Eq(x => x.WorkspaceId, workspaceId));")]
    [InlineData("_boards.Find([|B.Nin(x => x.WorkspaceId, ids)|]);", "_boards.Find(B.In(x => x.WorkspaceId, ids));")]
    [InlineData("_boards.Find([|!B.Eq(x => x.WorkspaceId, workspaceId)|]);", "_boards.Find(!B.Ne(x => x.WorkspaceId, workspaceId));")]
    [InlineData("_boards.Find([|B.Exists(x => x.WorkspaceId)|]);", "_boards.Find(B.Exists(x => x.WorkspaceId) & B.Eq(x => x.WorkspaceId, workspaceId));")]
    [InlineData("_boards.Find([|\"{ idWorkspace: { $ne: 'a' } }\"|]);", "_boards.Find(\"{ idWorkspace: { $eq: 'a' } }\");")]
    [InlineData("_boards.Find([|B.Not(B.Gt(x => x.WorkspaceId, workspaceId))|]);", "_boards.Find(B.Gt(x => x.WorkspaceId, workspaceId));")]
    // An unanchored regex never bounds a key; an anchored one bounds a ranged key.
    [InlineData("_boards.Find([|B.Regex(x => x.WorkspaceId, \"abc\")|]);", "_boards.Find(B.Regex(x => x.WorkspaceId, \"^abc\"));")]
    [InlineData("_boards.Find([|x => x.WorkspaceId.Contains(\"abc\")|]);", "_boards.Find(x => x.WorkspaceId.StartsWith(\"abc\"));")]
    // Hashed keys target only on equality and $in: the same range targets the ranged boards key.
    [InlineData("_workspaces.Find([|W.Gt(x => x.WorkspaceId, workspaceId)|]);", "_boards.Find(B.Gt(x => x.WorkspaceId, workspaceId));")]
    [InlineData("_workspaces.Find([|W.Regex(x => x.WorkspaceId, \"^ab\")|]);", "_workspaces.Find(W.In(x => x.WorkspaceId, ids));")]
    // A compound key without its leading field.
    [InlineData("_memberships.Find([|x => x.Id == id|]);", "_memberships.Find(x => x.ModelId == name && x.Id == id);")]
    [InlineData("Events(db).Find([|x => x.CreatedAt >= from|]);", "Events(db).Find(x => x.TenantId == id && x.CreatedAt >= from);")]
    // $text forces a broadcast unless the key is exact.
    [InlineData("_boards.Find([|B.Text(\"roadmap\") & B.In(x => x.WorkspaceId, ids)|]);", "_boards.Find(B.Text(\"roadmap\") & B.Eq(x => x.WorkspaceId, workspaceId));")]
    public async Task Condition_Reports_AndTwin_NoDiagnostic(string positive, string negative)
    {
        await Verify.DiagnosticsAsync(Code(positive), config: Config);
        await Verify.NoDiagnosticsAsync(Code(negative), config: Config);
    }

    [Theory]
    [InlineData("_boards.Find({|#0:x => x.WorkspaceId != workspaceId|});", "Find on 'boards' is sent to every shard: the shard key 'idWorkspace' is only used with $ne, which cannot target a shard")]
    [InlineData("_workspaces.Find({|#0:W.Gte(x => x.WorkspaceId, workspaceId)|});", "Find on 'workspaces' is sent to every shard: 'workspaceId' is a hashed shard key, which a range ($gte) cannot target")]
    [InlineData("_memberships.Find({|#0:x => x.Id == id|});", "Find on 'memberships' is sent to every shard: the filter has no condition on 'idModel', the leading field of the shard key { idModel, _id }")]
    public async Task Message_SaysWhyTheKeyCannotTarget(string code, string message)
    {
        var test = Verify.Test(Code(code));
        test.AdditionalFiles["queryguard.json"] = Config;
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.ShardKeyConditionCannotTarget).WithLocation(0).WithMessage(message));
        await test.RunAsync();
    }
}
