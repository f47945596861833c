using QueryGuard.Tests.Verification;
using static QueryGuard.Tests.Rules.ShardingScenario;

namespace QueryGuard.Tests.Rules;

public class QG2001OperationOmitsShardKeyTests
{
    private static readonly Verify Verify = new(RuleIdentifiers.OperationOmitsShardKey);

    [Theory]
    [InlineData("await _boards.Find([|x => x.Name == name|]).ToListAsync();", "await _boards.Find(x => x.WorkspaceId == workspaceId && x.Name == name).ToListAsync();")]
    [InlineData("await _boards.Find([|x => x.Id == id|]).FirstOrDefaultAsync();", "await _boards.Find(x => x.Id == id && x.WorkspaceId == workspaceId).FirstOrDefaultAsync();")]
    [InlineData("_boards.FindSync([|B.Eq(x => x.Name, name)|]);", "_boards.FindSync(B.Eq(x => x.Name, name) & B.Eq(x => x.WorkspaceId, workspaceId));")]
    [InlineData("await _boards.FindAsync([|B.Eq(\"Name\", name)|]);", "await _boards.FindAsync(B.Eq(\"WorkspaceId\", workspaceId));")]
    [InlineData("_boards.CountDocuments([|B.Empty|]);", "_boards.CountDocuments(B.Eq(x => x.WorkspaceId, workspaceId));")]
    [InlineData("_boards.CountDocuments([|x => x.Closed|]);", "_boards.CountDocuments(x => x.Closed && x.WorkspaceId == workspaceId);")]
    [InlineData("#pragma warning disable CS0618\n_boards.Count([|x => x.Closed|]);\n#pragma warning restore CS0618", "#pragma warning disable CS0618\n_boards.Count(x => x.WorkspaceId == workspaceId);\n#pragma warning restore CS0618")]
    [InlineData("_boards.Distinct(x => x.Name, [|x => x.Closed|]);", "_boards.Distinct(x => x.Name, x => x.WorkspaceId == workspaceId);")]
    [InlineData("await _boards.DistinctManyAsync(x => x.Labels, [|x => x.Closed|]);", "await _boards.DistinctManyAsync(x => x.Labels, x => x.WorkspaceId == workspaceId);")]
    [InlineData("_boards.Aggregate().Match([|x => x.Name == name|]);", "_boards.Aggregate().Match(x => x.WorkspaceId == workspaceId);")]
    [InlineData("_boards.AsQueryable().Where([|x => x.Name == name|]).ToList();", "_boards.AsQueryable().Where(x => x.WorkspaceId == workspaceId).ToList();")]
    [InlineData("_boards.AsQueryable().Any([|x => x.Name == name|]);", "_boards.AsQueryable().Any(x => x.WorkspaceId == workspaceId);")]
    [InlineData("_boards.Find([|\"{ name: 'a' }\"|]);", "_boards.Find(\"{ idWorkspace: 'a' }\");")]
    [InlineData("_boards.Find([|new BsonDocument(\"name\", name)|]);", "_boards.Find(new BsonDocument(\"idWorkspace\", workspaceId));")]
    [InlineData("_boards.UpdateMany([|x => x.Name == name|], setName);", "_boards.UpdateMany(x => x.WorkspaceId == workspaceId && x.Name == name, setName);")]
    [InlineData("_boards.DeleteOne([|x => x.Id == id|]);", "_boards.DeleteOne(x => x.Id == id && x.WorkspaceId == workspaceId);")]
    [InlineData("_memberships.Find([|x => x.MemberId == name|]);", "_memberships.Find(x => x.ModelId == id && x.MemberId == name);")]
    [InlineData("Events(db).Find([|x => x.Kind == name|]);", "Events(db).Find(x => x.TenantId == id && x.Kind == name);")]
    [InlineData("_boards.Find([|x => x.WorkspaceId == workspaceId || true|]);", "_boards.Find(x => x.WorkspaceId == workspaceId || false);")]
    // Aggregations: the first stage decides; no leading $match is every shard.
    [InlineData("[|_boards.Aggregate()|].Limit(5).ToList();", "_boards.Aggregate().Match(x => x.WorkspaceId == workspaceId).Limit(5).ToList();")]
    [InlineData("[|_boards.Aggregate()|].SortBy(x => x.Name).Match(x => x.WorkspaceId == workspaceId);", "_boards.Aggregate().Match(x => x.WorkspaceId == workspaceId).SortBy(x => x.Name);")]
    [InlineData("_boards.Aggregate(new EmptyPipelineDefinition<Board>().Match([|B.Eq(x => x.Name, name)|]).Limit(3));", "_boards.Aggregate(new EmptyPipelineDefinition<Board>().Match(B.Eq(x => x.WorkspaceId, workspaceId)).Limit(3));")]
    [InlineData("[|_boards.Aggregate(new EmptyPipelineDefinition<Board>().Limit(3).Match(B.Eq(x => x.WorkspaceId, workspaceId)))|];", "_boards.Aggregate(new EmptyPipelineDefinition<Board>().Match(B.Eq(x => x.WorkspaceId, workspaceId)).Limit(3));")]
    [InlineData("_boards.Aggregate<BsonDocument>(new[] { new BsonDocument(\"$match\", [|new BsonDocument(\"name\", name)|]) });", "_boards.Aggregate<BsonDocument>(new[] { new BsonDocument(\"$match\", new BsonDocument(\"idWorkspace\", workspaceId)) });")]
    [InlineData("_boards.Aggregate(PipelineDefinition<Board, Board>.Create(new IPipelineStageDefinition[] { PipelineStageDefinitionBuilder.Match([|B.Eq(x => x.Name, name)|]) }));", "_boards.Aggregate(PipelineDefinition<Board, Board>.Create(new IPipelineStageDefinition[] { PipelineStageDefinitionBuilder.Match(B.Eq(x => x.WorkspaceId, workspaceId)) }));")]
    // LINQ: every predicate of the chain lands in the same $match.
    [InlineData("_boards.AsQueryable().Where([|x => x.Closed|]).OrderBy(x => x.Name).First(x => x.Name == name);", "_boards.AsQueryable().Where(x => x.Closed).OrderBy(x => x.Name).First(x => x.WorkspaceId == workspaceId);")]
    [InlineData("_boards.AsQueryable().Where([|x => x.Closed|]).Where(x => x.Name == name).ToList();", "_boards.AsQueryable().Where(x => x.Closed).Where(x => x.WorkspaceId == workspaceId).ToList();")]
    public async Task Operation_Reports_AndTwin_NoDiagnostic(string positive, string negative)
    {
        await Verify.DiagnosticsAsync(Code(positive), config: Config);
        await Verify.NoDiagnosticsAsync(Code(negative), config: Config);
    }

    [Fact]
    public async Task LaterLinqPredicateHeldInLocal_IsFollowed()
    {
        // The chain's later predicates are read like the first: through the method's flow when held in a local.
        await Verify.DiagnosticsAsync(Code("System.Linq.Expressions.Expression<Func<Board, bool>> closed = x => x.Closed; _boards.AsQueryable().Where([|x => x.Name == name|]).Where(closed).ToList();"), config: Config);
        await Verify.NoDiagnosticsAsync(Code("System.Linq.Expressions.Expression<Func<Board, bool>> inWorkspace = x => x.WorkspaceId == workspaceId; _boards.AsQueryable().Where(x => x.Name == name).Where(inWorkspace).ToList();"), config: Config);
    }

    [Theory]
    [InlineData(DriverVersion.V2)]
    [InlineData(DriverVersion.V3)]
    public async Task BothDriverVersions_Report(DriverVersion driver)
    {
        await Verify.DiagnosticsAsync(Code("_boards.Find([|x => x.Name == name|]); _boards.AsQueryable().Where([|x => x.Closed|]).ToList();"), driver, Config);
        await Verify.NoDiagnosticsAsync(Code("_boards.Find(x => x.WorkspaceId == name); _boards.AsQueryable().Where(x => x.WorkspaceId == name).ToList();"), driver, Config);
    }

    [Theory]
    [InlineData(DriverVersion.V2)]
    [InlineData(DriverVersion.V3)]
    public async Task MongoQueryableAsyncPredicates_Report(DriverVersion driver)
    {
        await Verify.DiagnosticsAsync(Code("await _boards.AsQueryable().AnyAsync([|x => x.Name == name|]); await _boards.AsQueryable().FirstOrDefaultAsync([|x => x.Closed|]); await _boards.AsQueryable().CountAsync([|x => x.Closed|]); _boards.AsQueryable().Count([|x => x.Closed|]);"), driver, Config);
        await Verify.NoDiagnosticsAsync(Code("await _boards.AsQueryable().AnyAsync(x => x.WorkspaceId == name); await _boards.AsQueryable().FirstOrDefaultAsync(x => x.WorkspaceId == name); await _boards.AsQueryable().CountAsync(x => x.WorkspaceId == name); _boards.AsQueryable().Count(x => x.WorkspaceId == name);"), driver, Config);
    }

    [Fact]
    public async Task Message_NamesOperationCollectionAndKey()
    {
        var test = Verify.Test(Code("await _memberships.Find({|#0:x => x.MemberId == name|}).ToListAsync();"));
        test.AdditionalFiles["queryguard.json"] = Config;
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.OperationOmitsShardKey).WithLocation(0)
            .WithMessage("Find on 'memberships' is sent to every shard: the filter has no targeting condition on the shard key { idModel, _id }"));
        await test.RunAsync();
    }

    [Theory]
    // Silence where QueryGuard cannot know: no shard key declared, no declaration, a filter from outside.
    [InlineData("_sessions.Find(x => x.UserId == name);")]
    [InlineData("db.GetCollection<Board>(\"archived_boards_without_type\").Find(x => x.Name == name);")]
    [InlineData("_boards.Find(external);")]
    [InlineData("_boards.Find(B.Eq(x => x.Name, name) & external);")]
    [InlineData("_boards.Find(x => x.Name == name && ids.Count > 0 && x.Name.Length > 2);")]
    public async Task Unknowable_NoDiagnostic(string code) =>
        await Verify.NoDiagnosticsAsync(Code(code), config: Config);

    [Fact]
    public async Task ConfigurationFromQueryGuardConfigPath_IsRead_AndOtherwiseNot()
    {
        // <QueryGuardConfig> in the project reaches the analyzer as build_property.QueryGuardConfigPath.
        var named = Verify.Test(Code("_boards.Find([|x => x.Name == name|]);"));
        named.AdditionalFiles["settings/shards.json"] = Config;
        named.GlobalConfig = "build_property.QueryGuardConfigPath = /0/settings/shards.json\n";
        await named.RunAsync();

        var unnamed = Verify.Test(Code("_boards.Find(x => x.Name == name);"));
        unnamed.AdditionalFiles["settings/shards.json"] = Config;
        await unnamed.RunAsync();
    }

    [Theory]
    // _id as the (hashed) shard key: an _id equality targets one shard, anything else does not.
    [InlineData("_sessions.Find([|x => x.UserId == name|]);", "_sessions.Find(x => x.Id == id);")]
    [InlineData("_sessions.Find([|x => x.Id != id|]);", "_sessions.Find(x => ids.Contains(x.Id));")]
    [InlineData("_sessions.DeleteMany([|x => x.UserId == name|]);", "_sessions.DeleteMany(x => x.Id == id && x.UserId == name);")]
    public async Task IdAsTheShardKey(string positive, string negative)
    {
        var config = Config.Replace("\"sessions\": { \"documentType\": \"Trello.Session\" }", "\"sessions\": { \"documentType\": \"Trello.Session\", \"shardKey\": { \"_id\": \"hashed\" } }");
        Assert.NotEqual(Config, config);
        var test = new QueryGuardTest { Source = Code(positive), DefaultRuleId = RuleIdentifiers.OperationOmitsShardKey, ComparedRuleIds = new[] { "QG2001", "QG2002" } };
        test.AdditionalFiles["queryguard.json"] = config;
        if (positive.Contains("!=", StringComparison.Ordinal))
        {
            test.DefaultRuleId = RuleIdentifiers.ShardKeyConditionCannotTarget;
        }

        await test.RunAsync();

        var twin = new QueryGuardTest { Source = Code(negative), ComparedRuleIds = new[] { "QG2001", "QG2002" } };
        twin.AdditionalFiles["queryguard.json"] = config;
        await twin.RunAsync();
    }

    [Fact]
    public async Task WithoutConfiguration_NoDiagnostic() =>
        await Verify.NoDiagnosticsAsync(Code("_boards.Find(x => x.Name == name);"));

    [Fact]
    public async Task CollectionMatchedByDocumentType_WhenItsNameIsNotVisible()
    {
        await Verify.DiagnosticsAsync(Code("IMongoCollection<Board> other = db.GetCollection<Board>(name); other.Find([|x => x.Name == name|]);"), config: Config);
        await Verify.NoDiagnosticsAsync(Code("IMongoCollection<Board> other = db.GetCollection<Board>(name); other.Find(x => x.WorkspaceId == name);"), config: Config);
    }

    [Fact]
    public async Task ShardKeyFromAttributes()
    {
        const string attributes = """

            namespace QueryGuard
            {
                [System.Diagnostics.Conditional("QUERYGUARD_ATTRIBUTES")]
                [System.AttributeUsage(System.AttributeTargets.Class)]
                internal sealed class ShardKeyAttribute : System.Attribute
                {
                    public ShardKeyAttribute(params string[] fields) { }
                    public bool Hashed { get; set; }
                }
            }

            namespace Trello
            {
                [QueryGuard.ShardKey("UserId", Hashed = true)]
                public class Device { public string Id { get; set; } = ""; public string UserId { get; set; } = ""; }
            }
            """;
        await Verify.DiagnosticsAsync(Code("db.GetCollection<Device>(\"devices\").Find([|x => x.Id == id|]);") + attributes);
        await Verify.NoDiagnosticsAsync(Code("db.GetCollection<Device>(\"devices\").Find(x => x.UserId == id);") + attributes);
    }

    [Fact]
    public async Task ShardKeyFromClusterExport()
    {
        const string export = """
            { "_id": "trello.sessions", "lastmodEpoch": { "$oid": "5f1f7c1e2b1e8a0001a1b2c3" }, "key": { "userId": { "$numberInt": "1" } }, "unique": false }
            { "_id": "trello.old", "dropped": true, "key": { "x": 1 } }
            """;
        var positive = Verify.Test(Code("_sessions.Find([|x => x.Id == id|]);"));
        positive.AdditionalFiles["queryguard.json"] = Config;
        positive.AdditionalFiles["cluster.shardkeys.json"] = export;
        await positive.RunAsync();

        var negative = Verify.Test(Code("_sessions.Find(x => x.UserId == id);"));
        negative.AdditionalFiles["queryguard.json"] = Config;
        negative.AdditionalFiles["cluster.shardkeys.json"] = export;
        await negative.RunAsync();
    }
}
