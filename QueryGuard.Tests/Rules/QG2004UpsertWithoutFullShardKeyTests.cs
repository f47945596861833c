using QueryGuard.Tests.Verification;
using static QueryGuard.Tests.Rules.ShardingScenario;

namespace QueryGuard.Tests.Rules;

public class QG2004UpsertWithoutFullShardKeyTests
{
    private static readonly Verify Verify = new(RuleIdentifiers.UpsertWithoutFullShardKey);

    [Theory]
    // findAndModify needs an equality on every shard-key field (before 7.1 the server rejects it).
    [InlineData("_boards.FindOneAndUpdate([|x => x.Id == id|], setName);", "_boards.FindOneAndUpdate(x => x.Id == id && x.WorkspaceId == workspaceId, setName);")]
    [InlineData("await _boards.FindOneAndDeleteAsync([|B.Eq(x => x.Id, id)|]);", "await _boards.FindOneAndDeleteAsync(B.Eq(x => x.Id, id) & B.Eq(x => x.WorkspaceId, workspaceId));")]
    [InlineData("await _boards.FindOneAndReplaceAsync([|x => x.Id == id|], session, new Board());", "await _boards.FindOneAndReplaceAsync(x => x.Id == id && x.WorkspaceId == workspaceId, session, new Board());")]
    [InlineData("_boards.FindOneAndUpdate([|B.In(x => x.WorkspaceId, ids)|], setName);", "_boards.FindOneAndUpdate(B.In(x => x.WorkspaceId, new[] { workspaceId }), setName);")]
    // Upserts through options, models and constructor arguments.
    [InlineData("_boards.UpdateOne([|x => x.Id == id|], setName, new UpdateOptions { IsUpsert = true });", "_boards.UpdateOne(x => x.Id == id && x.WorkspaceId == workspaceId, setName, new UpdateOptions { IsUpsert = true });")]
    [InlineData("await _boards.ReplaceOneAsync([|x => x.Name == name|], new Board(), new ReplaceOptions { IsUpsert = true });", "await _boards.ReplaceOneAsync(x => x.Name == name && x.WorkspaceId == workspaceId, new Board(), new ReplaceOptions { IsUpsert = true });")]
    [InlineData("_boards.BulkWrite(new[] { new UpdateOneModel<Board>([|B.Eq(x => x.Id, id)|], setName) { IsUpsert = true } });", "_boards.BulkWrite(new[] { new UpdateOneModel<Board>(B.Eq(x => x.Id, id) & B.Eq(x => x.WorkspaceId, workspaceId), setName) { IsUpsert = true } });")]
    [InlineData("client.BulkWrite(new[] { new BulkWriteUpdateOneModel<Board>(\"trello.boards\", [|B.Eq(x => x.Id, id)|], setName, isUpsert: true) });", "client.BulkWrite(new[] { new BulkWriteUpdateOneModel<Board>(\"trello.boards\", B.Eq(x => x.WorkspaceId, workspaceId), setName, isUpsert: true) });")]
    // Compound keys need every field: the prefix is not enough.
    [InlineData("_memberships.UpdateOne([|x => x.ModelId == id|], setMemberId, new UpdateOptions { IsUpsert = true });", "_memberships.UpdateOne(x => x.ModelId == id && x.Id == name, setMemberId, new UpdateOptions { IsUpsert = true });")]
    public async Task Upsert_Reports_AndTwin_NoDiagnostic(string positive, string negative)
    {
        await Verify.DiagnosticsAsync(Code(positive), config: Config);
        await Verify.NoDiagnosticsAsync(Code(negative), config: Config);
    }

    [Fact]
    public async Task NotAnUpsert_IsNotQG2004()
    {
        await Verify.NoDiagnosticsAsync(Code("_boards.UpdateOne(x => x.Id == id, setName, new UpdateOptions { IsUpsert = false });"), config: Config);
        await Verify.NoDiagnosticsAsync(Code("_boards.BulkWrite(new[] { new UpdateOneModel<Board>(B.Eq(x => x.Id, id), setName) });"), config: Config);
    }

    [Theory]
    [InlineData("7.0", "servers before 7.1 reject it (minServerVersion is 7.0)")]
    [InlineData("8.0", "from 7.1 the server accepts it but runs it as a broadcast to every shard")]
    [InlineData(null, "servers before 7.1 reject it, and from 7.1 it runs as a broadcast to every shard")]
    public async Task Message_DependsOnMinServerVersion(string? version, string consequence)
    {
        var config = version is null ? Config.Replace("\"minServerVersion\": \"7.0\",", string.Empty) : Config.Replace("\"7.0\"", $"\"{version}\"");
        var test = Verify.Test(Code("_memberships.UpdateOne({|#0:x => x.ModelId == id|}, setMemberId, new UpdateOptions { IsUpsert = true });"));
        test.AdditionalFiles["queryguard.json"] = config;
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.UpsertWithoutFullShardKey).WithLocation(0)
            .WithMessage($"UpdateOne (upsert) on 'memberships' has no equality on every shard-key field ('_id'): {consequence}"));
        await test.RunAsync();
    }

    [Fact]
    public async Task AnUnscopedUpsert_IsQG1001Only()
    {
        // One finding per filter: the empty filter is what matters, not the missing shard-key fields.
        var test = new QueryGuardTest { Source = Code("_memberships.UpdateOne({|QG1001:M.Empty|}, setMemberId, new UpdateOptions { IsUpsert = true });"), ComparedRuleIds = new[] { "QG1001", "QG2001", "QG2004" } };
        test.AdditionalFiles["queryguard.json"] = Config;
        await test.RunAsync();
    }

    [Fact]
    public async Task SupersedesTheBroadcastFinding()
    {
        var test = new QueryGuardTest { Source = Code("_boards.FindOneAndUpdate({|QG2004:x => x.Name == name|}, setName);"), ComparedRuleIds = new[] { "QG2001", "QG2002", "QG2003", "QG2004" } };
        test.AdditionalFiles["queryguard.json"] = Config;
        await test.RunAsync();
    }
}
