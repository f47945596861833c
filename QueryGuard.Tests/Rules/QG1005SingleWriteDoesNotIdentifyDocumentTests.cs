using Microsoft.CodeAnalysis;
using QueryGuard.CodeFixes;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.Rules;

/// <summary>
/// QG1005 (Info): a single-document write (UpdateOne, ReplaceOne, DeleteOne, FindOneAnd*, their models) with no
/// equality on <c>_id</c> changes an arbitrary matching document. Each positive case has a twin that pins <c>_id</c>.
/// </summary>
public class QG1005SingleWriteDoesNotIdentifyDocumentTests
{
    private const string Rule = RuleIdentifiers.SingleWriteDoesNotIdentifyDocument;

    private static readonly WriteCase[] Cases =
    {
        new("UpdateOne lambda", "UpdateOne",
            "_sessions.UpdateOne({|#0:x => x.UserId == \"u1\"|}, update);",
            "_sessions.UpdateOne(x => x.UserId == \"u1\" && x.Id == id, update);", ""),
        new("UpdateOneAsync with session, builder", "UpdateOne",
            "await _sessions.UpdateOneAsync(handle, {|#0:Builders<Session>.Filter.Eq(x => x.UserId, \"u1\")|}, update);",
            "await _sessions.UpdateOneAsync(handle, Builders<Session>.Filter.Eq(x => x.UserId, \"u1\") & Builders<Session>.Filter.Eq(x => x.Id, id), update);", ""),
        new("DeleteOne builder", "DeleteOne",
            "_sessions.DeleteOne({|#0:Builders<Session>.Filter.Eq(x => x.UserId, \"u1\")|});",
            "_sessions.DeleteOne(Builders<Session>.Filter.Eq(x => x.Id, id));", ""),
        new("DeleteOneAsync with session, lambda", "DeleteOne",
            "await _sessions.DeleteOneAsync(handle, {|#0:x => x.Expires < now|});",
            "await _sessions.DeleteOneAsync(handle, x => x.Expires < now && x.Id == id);", ""),
        new("ReplaceOne lambda", "ReplaceOne",
            "_sessions.ReplaceOne({|#0:x => x.UserId == \"u1\"|}, replacement);",
            "_sessions.ReplaceOne(x => x.Id == id, replacement);", ""),
        new("ReplaceOneAsync JSON", "ReplaceOne",
            "await _sessions.ReplaceOneAsync({|#0:\"{ UserId: 'u1' }\"|}, replacement);",
            "await _sessions.ReplaceOneAsync(\"{ _id: 'a', UserId: 'u1' }\", replacement);", ""),
        new("FindOneAndUpdate builder", "FindOneAndUpdate",
            "_sessions.FindOneAndUpdate({|#0:Builders<Session>.Filter.Eq(x => x.UserId, \"u1\")|}, update);",
            "_sessions.FindOneAndUpdate(Builders<Session>.Filter.And(Builders<Session>.Filter.Eq(x => x.UserId, \"u1\"), Builders<Session>.Filter.Eq(x => x.Id, id)), update);", ""),
        new("FindOneAndUpdateAsync without vs with Sort", "FindOneAndUpdate",
            "await _sessions.FindOneAndUpdateAsync({|#0:x => x.UserId == \"u1\"|}, update);",
            "await _sessions.FindOneAndUpdateAsync(x => x.UserId == \"u1\", update, new FindOneAndUpdateOptions<Session> { Sort = Builders<Session>.Sort.Ascending(x => x.Expires) });", ""),
        new("FindOneAndReplace BsonDocument", "FindOneAndReplace",
            "_sessions.FindOneAndReplace({|#0:new BsonDocument(\"UserId\", \"u1\")|}, replacement);",
            "_sessions.FindOneAndReplace(new BsonDocument(\"_id\", id), replacement);", ""),
        new("FindOneAndReplaceAsync filter before session", "FindOneAndReplace",
            "await _sessions.FindOneAndReplaceAsync({|#0:x => x.UserId == \"u1\"|}, handle, replacement);",
            "await _sessions.FindOneAndReplaceAsync(x => x.Id == id, handle, replacement);", ""),
        new("FindOneAndDelete lambda", "FindOneAndDelete",
            "_sessions.FindOneAndDelete({|#0:x => x.Revoked|});",
            "_sessions.FindOneAndDelete(x => x.Revoked && x.Id == id);", ""),
        new("In over a list of unknown size vs one item", "DeleteOne",
            "_sessions.DeleteOne({|#0:Builders<Session>.Filter.In(x => x.Id, ids)|});",
            "_sessions.DeleteOne(Builders<Session>.Filter.In(x => x.Id, new[] { id }));", ""),
        new("Or of equalities on _id", "DeleteOne",
            "_sessions.DeleteOne({|#0:x => x.Id == id || x.UserId == \"u1\"|});",
            "_sessions.DeleteOne(x => x.Id == id && (x.UserId == \"u1\" || x.Revoked));", ""),
        new("!Ne on _id is an equality", "UpdateOne",
            "_sessions.UpdateOne({|#0:Builders<Session>.Filter.Eq(x => x.UserId, id)|}, update);",
            "_sessions.UpdateOne(!Builders<Session>.Filter.Ne(x => x.Id, id), update);", ""),
        new("string field name \"_id\"", "DeleteOne",
            "_sessions.DeleteOne({|#0:Builders<Session>.Filter.Eq(\"UserId\", \"u1\")|});",
            "_sessions.DeleteOne(Builders<Session>.Filter.Eq(\"_id\", id));", ""),
        new("UpdateOneModel", "UpdateOneModel",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new UpdateOneModel<Session>({|#0:Builders<Session>.Filter.Eq(x => x.UserId, \"u1\")|}, update) });",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new UpdateOneModel<Session>(Builders<Session>.Filter.Eq(x => x.Id, id), update) });", ""),
        new("ReplaceOneModel JSON", "ReplaceOneModel",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new ReplaceOneModel<Session>({|#0:\"{ UserId: 'u1' }\"|}, replacement) });",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new ReplaceOneModel<Session>(\"{ _id: 'a' }\", replacement) });", ""),
        new("DeleteOneModel", "DeleteOneModel",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new DeleteOneModel<Session>({|#0:Builders<Session>.Filter.Where(x => x.UserId == \"u1\")|}) });",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new DeleteOneModel<Session>(Builders<Session>.Filter.Where(x => x.Id == id)) });", ""),
        new("client BulkWriteUpdateOneModel", "BulkWriteUpdateOneModel",
            "_client.BulkWrite(new BulkWriteModel[] { new BulkWriteUpdateOneModel<Session>(\"app.sessions\", {|#0:Builders<Session>.Filter.Eq(x => x.UserId, \"u1\")|}, update) });",
            "_client.BulkWrite(new BulkWriteModel[] { new BulkWriteUpdateOneModel<Session>(\"app.sessions\", Builders<Session>.Filter.Eq(x => x.Id, id), update) });", ""),
        new("client BulkWriteDeleteOneModel", "BulkWriteDeleteOneModel",
            "_client.BulkWrite(new BulkWriteModel[] { new BulkWriteDeleteOneModel<Session>(\"app.sessions\", {|#0:\"{ UserId: 'u1' }\"|}) });",
            "_client.BulkWrite(new BulkWriteModel[] { new BulkWriteDeleteOneModel<Session>(\"app.sessions\", \"{ _id: 'a' }\") });", ""),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Select(c => c.Name));

    public static TheoryData<string> Driver2CaseNames() => new(Cases.Where(c => !c.Positive.Contains("_client")).Select(c => c.Name).Take(5));

    private static WriteCase Case(string name) => Cases.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task WriteWithoutIdEquality_Reports(string name)
    {
        var c = Case(name);
        return WriteTestSource.ReportsAsync(Rule, c.Positive, DriverVersion.V3, c.Operation, "sessions", "'_id'");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task IdentifyingTwin_NoDiagnostic(string name) => WriteTestSource.NoDiagnosticAsync(Rule, Case(name).Twin);

    [Theory]
    [MemberData(nameof(Driver2CaseNames))]
    public Task WriteWithoutIdEquality_Driver2_Reports(string name)
    {
        var c = Case(name);
        return WriteTestSource.ReportsAsync(Rule, c.Positive, DriverVersion.V2, c.Operation, "sessions", "'_id'");
    }

    [Theory]
    [MemberData(nameof(Driver2CaseNames))]
    public Task IdentifyingTwin_Driver2_NoDiagnostic(string name) => WriteTestSource.NoDiagnosticAsync(Rule, Case(name).Twin, DriverVersion.V2);

    [Fact]
    public Task MessageAndSeverity_Reports()
    {
        var test = new Verify(Rule).Test(WriteTestSource.Wrap("_sessions.UpdateOne({|#0:x => x.UserId == \"u1\"|}, update);"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Rule).WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithMessage(
            "UpdateOne on 'sessions' does not identify a document: the filter has no equality on '_id', so an arbitrary matching document is changed"));
        return test.RunAsync();
    }

    [Fact]
    public Task BsonIdOnAnotherMember_IsTheId_NoDiagnostic() => new Verify(Rule).NoDiagnosticsAsync(WriteTestSource.Header + """
        public class Token
        {
            [MongoDB.Bson.Serialization.Attributes.BsonId] public string Key { get; set; } = "";
            public string Id { get; set; } = "";
        }

        public class Tokens
        {
            public void Revoke(IMongoCollection<Token> tokens, string key) => tokens.DeleteOne(x => x.Key == key);
        }
        """);

    [Fact]
    public Task BsonIdOnAnotherMember_IdPropertyIsNotTheId_Reports() => new Verify(Rule).DiagnosticsAsync(WriteTestSource.Header + """
        public class Token
        {
            [MongoDB.Bson.Serialization.Attributes.BsonId] public string Key { get; set; } = "";
            public string Id { get; set; } = "";
        }

        public class Tokens
        {
            public void Revoke(IMongoCollection<Token> tokens, string id) => tokens.DeleteOne([|x => x.Id == id|]);
        }
        """);

    [Fact]
    public Task NoPathIdentifies_Reports() => WriteTestSource.ReportsAsync(
        Rule,
        "_sessions.DeleteOne({|#0:id.Length > 3 ? Builders<Session>.Filter.Eq(x => x.UserId, id) : Builders<Session>.Filter.Eq(x => x.UserId, \"u1\")|});",
        DriverVersion.V3,
        "DeleteOne",
        "sessions",
        "'_id'");

    [Theory]
    // Multi-document writes are meant to change several documents.
    [InlineData("_sessions.UpdateMany(x => x.UserId == \"u1\", update);")]
    [InlineData("_sessions.DeleteMany(Builders<Session>.Filter.Eq(x => x.UserId, \"u1\"));")]
    // _id equality with another condition, in And and through && on either side.
    [InlineData("_sessions.DeleteOne(x => x.UserId == \"u1\" && x.Id == id);")]
    [InlineData("_sessions.ReplaceOne(Builders<Session>.Filter.Eq(x => x.UserId, \"u1\") & Builders<Session>.Filter.Eq(x => x.Id, id), replacement);")]
    // A filter that matches nothing changes nothing.
    [InlineData("_sessions.DeleteOne(Builders<Session>.Filter.In(x => x.UserId, new List<string>()));")]
    // Unknown or path-dependent filters: silence.
    [InlineData("_sessions.DeleteOne(given);")]
    [InlineData("_sessions.DeleteOne(given & Builders<Session>.Filter.Eq(x => x.UserId, \"u1\"));")]
    [InlineData("_sessions.DeleteOne(x => tenantId == null || x.UserId == \"u1\");")]
    [InlineData("_sessions.DeleteOne(id.Length > 3 ? Builders<Session>.Filter.Eq(x => x.Id, id) : Builders<Session>.Filter.Eq(x => x.UserId, \"u1\"));")]
    [InlineData("_sessions.DeleteOne(id.Length > 3 ? Builders<Session>.Filter.Eq(x => x.Id, id) : Builders<Session>.Filter.Eq(x => x.Id, \"a\"));")]
    // A sort makes the choice deliberate (take the oldest).
    [InlineData("_sessions.FindOneAndDelete(x => x.Revoked, new FindOneAndDeleteOptions<Session> { Sort = Builders<Session>.Sort.Ascending(x => x.Expires) });")]
    // The unscoped-write rules already report these (QG1001, QG1003).
    [InlineData("_sessions.DeleteOne(Builders<Session>.Filter.Empty);")]
    [InlineData("_sessions.UpdateOne(x => !x.Revoked, update);")]
    // Reads are not writes.
    [InlineData("_sessions.Find(x => x.UserId == \"u1\").FirstOrDefault();")]
    public Task IdentifiedOrNotApplicable_NoDiagnostic(string body) => WriteTestSource.NoDiagnosticAsync(Rule, body);

    // ---- Code fix: add an equality on _id -------------------------------------------------------------

    [Theory]
    [InlineData(
        "_sessions.UpdateOne([|x => x.UserId == \"u1\"|], update);",
        "_sessions.UpdateOne(x => x.UserId == \"u1\" && x.Id == id, update);")]
    [InlineData(
        "_sessions.DeleteOne([|x => x.UserId == \"u1\" || x.Revoked|]);",
        "_sessions.DeleteOne(x => (x.UserId == \"u1\" || x.Revoked) && x.Id == id);")]
    [InlineData(
        "_sessions.ReplaceOne(handle, [|Builders<Session>.Filter.Eq(x => x.UserId, \"u1\")|], replacement);",
        "_sessions.ReplaceOne(handle, Builders<Session>.Filter.Eq(x => x.UserId, \"u1\") & Builders<Session>.Filter.Eq(x => x.Id, id), replacement);")]
    [InlineData(
        "_sessions.FindOneAndUpdate([|Builders<Session>.Filter.Eq(x => x.UserId, \"u1\") | Builders<Session>.Filter.Eq(x => x.TenantId, \"t1\")|], update);",
        "_sessions.FindOneAndUpdate((Builders<Session>.Filter.Eq(x => x.UserId, \"u1\") | Builders<Session>.Filter.Eq(x => x.TenantId, \"t1\")) & Builders<Session>.Filter.Eq(x => x.Id, id), update);")]
    [InlineData(
        "_sessions.FindOneAndDelete([|Builders<Session>.Filter.And(Builders<Session>.Filter.Eq(x => x.UserId, \"u1\"), Builders<Session>.Filter.Lt(x => x.Expires, DateTime.UtcNow))|]);",
        "_sessions.FindOneAndDelete(Builders<Session>.Filter.And(Builders<Session>.Filter.Eq(x => x.UserId, \"u1\"), Builders<Session>.Filter.Lt(x => x.Expires, DateTime.UtcNow), Builders<Session>.Filter.Eq(x => x.Id, id)));")]
    [InlineData(
        "_sessions.DeleteOne([|new BsonDocument(\"UserId\", \"u1\")|]);",
        "_sessions.DeleteOne(new BsonDocument(\"UserId\", \"u1\") { { \"_id\", id } });")]
    [InlineData(
        "_sessions.DeleteOne([|new BsonDocument { { \"UserId\", \"u1\" } }|]);",
        "_sessions.DeleteOne(new BsonDocument { { \"UserId\", \"u1\" }, { \"_id\", id } });")]
    [InlineData(
        "_sessions.BulkWrite(new WriteModel<Session>[] { new UpdateOneModel<Session>([|Builders<Session>.Filter.Where(x => x.Revoked)|], update) });",
        "_sessions.BulkWrite(new WriteModel<Session>[] { new UpdateOneModel<Session>(Builders<Session>.Filter.Where(x => x.Revoked) & Builders<Session>.Filter.Eq(x => x.Id, id), update) });")]
    public Task NoIdEquality_FixAddsIt(string body, string fixedBody)
    {
        const string Parameters = "IClientSessionHandle handle, string id, UpdateDefinition<Session> update, Session replacement";
        return new Verify(Rule).FixAsync<AddIdEqualityCodeFix>(
            WriteTestSource.Store(Parameters, body),
            WriteTestSource.Store(Parameters, fixedBody),
            AddIdEqualityCodeFix.AddIdEqualityKey);
    }

    [Fact]
    public Task ValueRootedAtX_NewLambdaUsesAnotherParameterName()
    {
        // The new Eq's lambda must not capture the value's root `x`.
        const string Parameters = "Request x";
        return new Verify(Rule).FixAsync<AddIdEqualityCodeFix>(
            WriteTestSource.Store(Parameters, "_sessions.DeleteOne([|Builders<Session>.Filter.Eq(s => s.UserId, \"u1\")|]);"),
            WriteTestSource.Store(Parameters, "_sessions.DeleteOne(Builders<Session>.Filter.Eq(s => s.UserId, \"u1\") & Builders<Session>.Filter.Eq(d => d.Id, x.SessionId));"),
            AddIdEqualityCodeFix.AddIdEqualityKey);
    }

    [Fact]
    public Task LambdaParameterNamedLikeTheValue_NoAction()
    {
        // `id => id.UserId == ...` shadows the value `id`: adding `id.Id == id` would compare the document with itself.
        var test = new Verify(Rule).Test(WriteTestSource.Store("string id", "_sessions.DeleteOne([|id => id.UserId == \"u1\"|]);"));
        test.CodeFix = new AddIdEqualityCodeFix();
        return test.RunAsync();
    }

    [Fact]
    public Task PropertyOfTheDocumentInScope_IsACandidate()
    {
        const string Parameters = "Session current, UpdateDefinition<Session> update";
        return new Verify(Rule).FixAsync<AddIdEqualityCodeFix>(
            WriteTestSource.Store(Parameters, "_sessions.UpdateOne([|x => x.UserId == current.UserId|], update);"),
            WriteTestSource.Store(Parameters, "_sessions.UpdateOne(x => x.UserId == current.UserId && x.Id == current.Id, update);"),
            AddIdEqualityCodeFix.AddIdEqualityKey);
    }

    [Fact]
    public Task FixAll_FixesEveryWriteInTheDocument()
    {
        const string Parameters = "string sessionId, UpdateDefinition<Session> update";
        return new Verify(Rule).FixAsync<AddIdEqualityCodeFix>(
            WriteTestSource.Store(Parameters, "_sessions.UpdateOne([|x => x.Revoked|], update);\n_sessions.DeleteOne([|Builders<Session>.Filter.Eq(x => x.UserId, \"u1\")|]);"),
            WriteTestSource.Store(Parameters, "_sessions.UpdateOne(x => x.Revoked && x.Id == sessionId, update);\n_sessions.DeleteOne(Builders<Session>.Filter.Eq(x => x.UserId, \"u1\") & Builders<Session>.Filter.Eq(x => x.Id, sessionId));"),
            AddIdEqualityCodeFix.AddIdEqualityKey);
    }

    [Theory]
    // No value named like the id (or of the id's type) in scope.
    [InlineData("string name", "_sessions.DeleteOne([|x => x.UserId == name|]);")]
    [InlineData("Guid id", "_sessions.DeleteOne([|x => x.UserId == \"u1\"|]);")]
    // A JSON string cannot take a C# value.
    [InlineData("string id", "_sessions.DeleteOne([|\"{ UserId: 'u1' }\"|]);")]
    public Task NoCandidateOrJson_NoAction(string parameters, string body)
    {
        var test = new Verify(Rule).Test(WriteTestSource.Store(parameters, body));
        test.CodeFix = new AddIdEqualityCodeFix();
        return test.RunAsync();
    }

    [Fact]
    public Task Driver2_FixAddsIdEquality()
    {
        const string Parameters = "string id, UpdateDefinition<Session> update";
        return new QueryGuardTest
        {
            Source = WriteTestSource.Store(Parameters, "_sessions.FindOneAndUpdate([|x => x.UserId == \"u1\"|], update);"),
            FixedSource = WriteTestSource.Store(Parameters, "_sessions.FindOneAndUpdate(x => x.UserId == \"u1\" && x.Id == id, update);"),
            Driver = DriverVersion.V2,
            DefaultRuleId = Rule,
            ComparedRuleIds = new[] { Rule },
            CodeFix = new AddIdEqualityCodeFix(),
            CodeActionEquivalenceKey = AddIdEqualityCodeFix.AddIdEqualityKey,
        }.RunAsync();
    }
}
