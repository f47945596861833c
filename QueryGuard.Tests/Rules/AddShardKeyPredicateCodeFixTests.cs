using QueryGuard.CodeFixes;
using QueryGuard.Tests.Verification;
using static QueryGuard.Tests.Rules.ShardingScenario;

namespace QueryGuard.Tests.Rules;

/// <summary>QG2001/QG2004/QG1006 fix: the missing key equality from a value in scope, in the filter's own style.</summary>
public class AddShardKeyPredicateCodeFixTests
{
    private static Task FixAsync(string ruleId, string source, string fixedSource, IReadOnlyList<string>? titles = null)
    {
        var test = new QueryGuardTest
        {
            Source = Code(source),
            FixedSource = Code(fixedSource),
            DefaultRuleId = ruleId,
            ComparedRuleIds = new[] { ruleId },
            CodeFix = new AddShardKeyPredicateCodeFix(),
            CodeActionEquivalenceKey = AddShardKeyPredicateCodeFix.AddKeyEqualityKey,
            ExpectedActionTitles = titles,
        };
        test.AdditionalFiles["queryguard.json"] = Config;
        return test.RunAsync();
    }

    [Theory]
    [InlineData("_boards.Find([|x => x.Name == name|]);", "_boards.Find(x => x.Name == name && x.WorkspaceId == workspaceId);")]
    [InlineData("_boards.Find([|x => x.Name == name || x.Closed|]);", "_boards.Find(x => (x.Name == name || x.Closed) && x.WorkspaceId == workspaceId);")]
    [InlineData("_boards.Find([|B.Eq(x => x.Name, name)|]);", "_boards.Find(B.Eq(x => x.Name, name) & Builders<Board>.Filter.Eq(x => x.WorkspaceId, workspaceId));")]
    [InlineData("_boards.Find([|B.And(B.Eq(x => x.Name, name), B.Eq(x => x.Closed, true))|]);", "_boards.Find(B.And(B.Eq(x => x.Name, name), B.Eq(x => x.Closed, true), Builders<Board>.Filter.Eq(x => x.WorkspaceId, workspaceId)));")]
    [InlineData("_boards.Find([|new BsonDocument(\"name\", name)|]);", "_boards.Find(new BsonDocument(\"name\", name) { { \"idWorkspace\", workspaceId } });")]
    [InlineData("_boards.CountDocuments([|B.Empty|]);", "_boards.CountDocuments(B.Empty & Builders<Board>.Filter.Eq(x => x.WorkspaceId, workspaceId));")]
    public async Task QG2001_AddsTheLeadingKeyField(string source, string fixedSource) =>
        await FixAsync(RuleIdentifiers.OperationOmitsShardKey, source, fixedSource);

    [Fact]
    public async Task QG2004_AddsEveryMissingKeyField()
    {
        await FixAsync(
            RuleIdentifiers.UpsertWithoutFullShardKey,
            "_memberships.UpdateOne([|x => x.ModelId == name|], setMemberId, new UpdateOptions { IsUpsert = true });",
            "_memberships.UpdateOne(x => x.ModelId == name && x.Id == id, setMemberId, new UpdateOptions { IsUpsert = true });");
        await FixAsync(
            RuleIdentifiers.UpsertWithoutFullShardKey,
            "_boards.FindOneAndUpdate([|x => x.Id == id|], setName);",
            "_boards.FindOneAndUpdate(x => x.Id == id && x.WorkspaceId == workspaceId, setName);");
    }

    [Fact]
    public async Task QG1006_AddsTheScopeKey()
    {
        await FixAsync(
            RuleIdentifiers.WriteDoesNotPinScopeKey,
            "_workspaces.UpdateMany([|x => x.Name == name|], setWorkspaceName);",
            "_workspaces.UpdateMany(x => x.Name == name && x.WorkspaceId == workspaceId, setWorkspaceName);");
    }

    [Fact]
    public async Task PropertyOfAnObjectInScope_IsACandidate_OneActionPerCandidate_BestFirst()
    {
        await FixAsync(
            RuleIdentifiers.WriteDoesNotPinScopeKey,
            "var board = new Board(); _workspaces.DeleteMany([|x => x.Name == name|]);",
            "var board = new Board(); _workspaces.DeleteMany(x => x.Name == name && x.WorkspaceId == workspaceId);",
            new[]
            {
                "Add 'workspaceId' == workspaceId to the filter",
                "Add 'workspaceId' == board.WorkspaceId to the filter",
            });
    }

    [Fact]
    public async Task FixAll_FixesEveryFilterInTheDocument()
    {
        await FixAsync(
            RuleIdentifiers.OperationOmitsShardKey,
            "_boards.Find([|x => x.Name == name|]); _boards.Find([|x => x.Closed|]); _boards.UpdateMany([|x => x.Name == name|], setName);",
            "_boards.Find(x => x.Name == name && x.WorkspaceId == workspaceId); _boards.Find(x => x.Closed && x.WorkspaceId == workspaceId); _boards.UpdateMany(x => x.Name == name && x.WorkspaceId == workspaceId, setName);");
    }

    [Theory]
    // No value in scope fits the key, or the filter is a JSON string: no action (the message still names the field).
    [InlineData("_memberships.Find([|x => x.MemberId == name|]);")]
    [InlineData("_boards.Find([|\"{ name: 'a' }\"|]);")]
    public async Task NoCandidateOrJson_NoAction(string source)
    {
        var test = new QueryGuardTest
        {
            Source = Code(source).Replace("string id, string workspaceId", "string identifier, string workspace").Replace("id, workspaceId", "identifier, workspace"),
            DefaultRuleId = RuleIdentifiers.OperationOmitsShardKey,
            ComparedRuleIds = new[] { RuleIdentifiers.OperationOmitsShardKey },
            CodeFix = new AddShardKeyPredicateCodeFix(),
        };
        test.AdditionalFiles["queryguard.json"] = Config;
        await test.RunAsync();
    }
}

/// <summary>QG1001's fix offers the declared scope key after _id (RULES.md: "an equality on _id or the scope key").</summary>
public class TargetDocumentScopeKeyFixTests
{
    [Fact]
    public async Task EmptyWriteOnAScopedCollection_OffersIdThenScopeKey()
    {
        var test = new QueryGuardTest
        {
            Source = Code("_workspaces.UpdateMany([|W.Empty|], setWorkspaceName);"),
            FixedSource = Code("_workspaces.UpdateMany(Builders<Workspace>.Filter.Eq(x => x.WorkspaceId, workspaceId), setWorkspaceName);"),
            DefaultRuleId = RuleIdentifiers.WriteMatchesEveryDocument,
            ComparedRuleIds = new[] { RuleIdentifiers.WriteMatchesEveryDocument },
            CodeFix = new QueryGuard.CodeFixes.TargetDocumentCodeFix(),
            CodeActionEquivalenceKey = QueryGuard.CodeFixes.TargetDocumentCodeFix.FilterOnScopeKey,
            ExpectedActionTitles = new[] { "Use UpdateOne on '_id' == id", "Filter on 'workspaceId' == workspaceId" },
        };
        test.AdditionalFiles["queryguard.json"] = Config;
        await test.RunAsync();
    }

    [Fact]
    public async Task WithoutAScopeKey_OnlyIdIsOffered()
    {
        var test = new QueryGuardTest
        {
            Source = Code("_boards.UpdateMany([|B.Empty|], setName);"),
            FixedSource = Code("_boards.UpdateOne(Builders<Board>.Filter.Eq(x => x.Id, id), setName);"),
            DefaultRuleId = RuleIdentifiers.WriteMatchesEveryDocument,
            ComparedRuleIds = new[] { RuleIdentifiers.WriteMatchesEveryDocument },
            CodeFix = new QueryGuard.CodeFixes.TargetDocumentCodeFix(),
            ExpectedActionTitles = new[] { "Use UpdateOne on '_id' == id" },
        };
        test.AdditionalFiles["queryguard.json"] = Config;
        await test.RunAsync();
    }
}
