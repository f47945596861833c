using QueryGuard.CodeFixes;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.Rules;

/// <summary>
/// QG1001: a write whose filter renders <c>{}</c> (or an <c>$or</c> with an empty branch) changes every document.
/// Every positive case has a near-identical twin that targets a document and stays silent.
/// </summary>
public class QG1001WriteMatchesEveryDocumentTests
{
    private const string Rule = RuleIdentifiers.WriteMatchesEveryDocument;
    private const string IsEmpty = "the filter is empty";
    private const string AlwaysTrue = "the predicate is always true";
    private const string EmptyDocument = "the filter document is empty";
    private const string EmptyOrBranch = "an Or branch is empty";

    private static readonly WriteCase[] Cases =
    {
        // Interface methods, sync and Async, with and without session.
        new("DeleteMany builder Empty", "DeleteMany",
            "_sessions.DeleteMany({|#0:Builders<Session>.Filter.Empty|});",
            "_sessions.DeleteMany(Builders<Session>.Filter.Eq(x => x.Id, id));", IsEmpty),
        new("DeleteManyAsync FilterDefinition.Empty", "DeleteMany",
            "await _sessions.DeleteManyAsync({|#0:FilterDefinition<Session>.Empty|});",
            "await _sessions.DeleteManyAsync(Builders<Session>.Filter.Eq(x => x.UserId, \"u1\"));", IsEmpty),
        new("DeleteMany with session", "DeleteMany",
            "_sessions.DeleteMany(handle, {|#0:Builders<Session>.Filter.Empty|});",
            "_sessions.DeleteMany(handle, Builders<Session>.Filter.Eq(x => x.Id, id));", IsEmpty),
        new("UpdateMany JSON {}", "UpdateMany",
            "_sessions.UpdateMany({|#0:\"{}\"|}, update);",
            "_sessions.UpdateMany(\"{ UserId: 'u1' }\", update);", EmptyDocument),
        new("UpdateManyAsync new BsonDocument()", "UpdateMany",
            "await _sessions.UpdateManyAsync({|#0:new BsonDocument()|}, update);",
            "await _sessions.UpdateManyAsync(new BsonDocument(\"UserId\", \"u1\"), update);", EmptyDocument),
        new("UpdateOneAsync with session", "UpdateOne",
            "await _sessions.UpdateOneAsync(handle, {|#0:Builders<Session>.Filter.Empty|}, update);",
            "await _sessions.UpdateOneAsync(handle, Builders<Session>.Filter.Eq(x => x.Id, id), update);", IsEmpty),
        new("ReplaceOne builder Empty", "ReplaceOne",
            "_sessions.ReplaceOne({|#0:Builders<Session>.Filter.Empty|}, replacement);",
            "_sessions.ReplaceOne(Builders<Session>.Filter.Eq(x => x.Id, id), replacement);", IsEmpty),
        new("FindOneAndUpdate builder Empty", "FindOneAndUpdate",
            "_sessions.FindOneAndUpdate({|#0:Builders<Session>.Filter.Empty|}, update);",
            "_sessions.FindOneAndUpdate(Builders<Session>.Filter.Eq(x => x.Id, id), update);", IsEmpty),
        new("FindOneAndReplace BsonDocument.Parse", "FindOneAndReplace",
            "_sessions.FindOneAndReplace({|#0:BsonDocument.Parse(\"{ }\")|}, replacement);",
            "_sessions.FindOneAndReplace(BsonDocument.Parse(\"{ _id: 'a' }\"), replacement);", EmptyDocument),
        new("FindOneAndDeleteAsync with session", "FindOneAndDelete",
            "await _sessions.FindOneAndDeleteAsync(handle, {|#0:FilterDefinition<Session>.Empty|});",
            "await _sessions.FindOneAndDeleteAsync(handle, Builders<Session>.Filter.Eq(x => x.Id, id));", IsEmpty),

        // IMongoCollectionExtensions lambda overloads.
        new("DeleteMany lambda x => true", "DeleteMany",
            "_sessions.DeleteMany({|#0:x => true|});",
            "_sessions.DeleteMany(x => x.Id == id);", AlwaysTrue),
        new("DeleteOneAsync lambda with session", "DeleteOne",
            "await _sessions.DeleteOneAsync(handle, {|#0:_ => true|});",
            "await _sessions.DeleteOneAsync(handle, x => x.Id == id);", AlwaysTrue),
        new("UpdateMany lambda", "UpdateMany",
            "_sessions.UpdateMany({|#0:x => true|}, update);",
            "_sessions.UpdateMany(x => x.UserId == \"u1\", update);", AlwaysTrue),
        new("ReplaceOneAsync lambda", "ReplaceOne",
            "await _sessions.ReplaceOneAsync({|#0:x => true|}, replacement);",
            "await _sessions.ReplaceOneAsync(x => x.Id == id, replacement);", AlwaysTrue),
        new("FindOneAndUpdateAsync lambda", "FindOneAndUpdate",
            "await _sessions.FindOneAndUpdateAsync({|#0:x => true|}, update);",
            "await _sessions.FindOneAndUpdateAsync(x => x.Id == id, update);", AlwaysTrue),
        new("FindOneAndReplaceAsync filter before session", "FindOneAndReplace",
            "await _sessions.FindOneAndReplaceAsync({|#0:x => true|}, handle, replacement);",
            "await _sessions.FindOneAndReplaceAsync(x => x.Id == id, handle, replacement);", AlwaysTrue),
        new("FindOneAndDelete lambda always true through ||", "FindOneAndDelete",
            "_sessions.FindOneAndDelete({|#0:x => true || x.Id == id|});",
            "_sessions.FindOneAndDelete(x => x.UserId == \"u1\" || x.Id == id);", AlwaysTrue),

        // Builder combinations (verified renderings: Empty & x is x, Or(Empty, x) is everything).
        new("Empty & Empty", "DeleteMany",
            "_sessions.DeleteMany({|#0:Builders<Session>.Filter.Empty & Builders<Session>.Filter.Empty|});",
            "_sessions.DeleteMany(Builders<Session>.Filter.Empty & Builders<Session>.Filter.Eq(x => x.Id, id));", IsEmpty),
        new("And(Empty, Empty)", "UpdateMany",
            "_sessions.UpdateMany({|#0:Builders<Session>.Filter.And(Builders<Session>.Filter.Empty, Builders<Session>.Filter.Empty)|}, update);",
            "_sessions.UpdateMany(Builders<Session>.Filter.And(Builders<Session>.Filter.Empty, Builders<Session>.Filter.Eq(x => x.UserId, \"u1\")), update);", IsEmpty),
        new("Or(Empty, x)", "DeleteMany",
            "_sessions.DeleteMany({|#0:Builders<Session>.Filter.Or(Builders<Session>.Filter.Empty, Builders<Session>.Filter.Eq(x => x.Id, id))|});",
            "_sessions.DeleteMany(Builders<Session>.Filter.Or(Builders<Session>.Filter.Eq(x => x.UserId, \"u1\"), Builders<Session>.Filter.Eq(x => x.Id, id)));", EmptyOrBranch),
        new("Empty | x", "UpdateMany",
            "_sessions.UpdateMany({|#0:Builders<Session>.Filter.Empty | Builders<Session>.Filter.Eq(x => x.Id, id)|}, update);",
            "_sessions.UpdateMany(Builders<Session>.Filter.Eq(x => x.UserId, \"u1\") | Builders<Session>.Filter.Eq(x => x.Id, id), update);", EmptyOrBranch),
        new("Filter.Where(_ => true)", "DeleteMany",
            "_sessions.DeleteMany({|#0:Builders<Session>.Filter.Where(_ => true)|});",
            "_sessions.DeleteMany(Builders<Session>.Filter.Where(x => x.Id == id));", AlwaysTrue),
        new("JSON $or with an empty branch", "DeleteMany",
            "_sessions.DeleteMany({|#0:\"{ $or: [ {}, { UserId: 'u1' } ] }\"|});",
            "_sessions.DeleteMany(\"{ $or: [ { _id: 'a' }, { UserId: 'u1' } ] }\");", "an $or branch is empty"),
        new("new BsonDocumentFilterDefinition(new BsonDocument())", "DeleteMany",
            "_sessions.DeleteMany({|#0:new BsonDocumentFilterDefinition<Session>(new BsonDocument())|});",
            "_sessions.DeleteMany(new BsonDocumentFilterDefinition<Session>(new BsonDocument(\"_id\", id)));", EmptyDocument),

        // Write models inside BulkWrite, and 3.x client bulk-write models.
        new("DeleteManyModel in BulkWrite", "DeleteManyModel",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new DeleteManyModel<Session>({|#0:Builders<Session>.Filter.Empty|}) });",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new DeleteManyModel<Session>(Builders<Session>.Filter.Eq(x => x.Id, id)) });", IsEmpty),
        new("UpdateManyModel with JSON {}", "UpdateManyModel",
            "await _sessions.BulkWriteAsync(new[] { new UpdateManyModel<Session>({|#0:\"{}\"|}, update) });",
            "await _sessions.BulkWriteAsync(new[] { new UpdateManyModel<Session>(\"{ UserId: 'u1' }\", update) });", EmptyDocument),
        new("UpdateOneModel upsert", "UpdateOneModel",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new UpdateOneModel<Session>({|#0:Builders<Session>.Filter.Empty|}, update) { IsUpsert = true } });",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new UpdateOneModel<Session>(Builders<Session>.Filter.Eq(x => x.Id, id), update) { IsUpsert = true } });", IsEmpty),
        new("ReplaceOneModel with new BsonDocument()", "ReplaceOneModel",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new ReplaceOneModel<Session>({|#0:new BsonDocument()|}, replacement) });",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new ReplaceOneModel<Session>(new BsonDocument(\"_id\", id), replacement) });", EmptyDocument),
        new("DeleteOneModel with Where", "DeleteOneModel",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new DeleteOneModel<Session>({|#0:Builders<Session>.Filter.Where(x => true)|}) });",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new DeleteOneModel<Session>(Builders<Session>.Filter.Where(x => x.Id == id)) });", AlwaysTrue),
        new("client BulkWriteDeleteManyModel", "BulkWriteDeleteManyModel",
            "_client.BulkWrite(new BulkWriteModel[] { new BulkWriteDeleteManyModel<Session>(\"app.sessions\", {|#0:Builders<Session>.Filter.Empty|}) });",
            "_client.BulkWrite(new BulkWriteModel[] { new BulkWriteDeleteManyModel<Session>(\"app.sessions\", Builders<Session>.Filter.Eq(x => x.Id, id)) });", IsEmpty),
        new("client BulkWriteUpdateManyModel with JSON", "BulkWriteUpdateManyModel",
            "await _client.BulkWriteAsync(new BulkWriteModel[] { new BulkWriteUpdateManyModel<Session>(\"app.sessions\", {|#0:\"{}\"|}, update) });",
            "await _client.BulkWriteAsync(new BulkWriteModel[] { new BulkWriteUpdateManyModel<Session>(\"app.sessions\", \"{ UserId: 'u1' }\", update) });", EmptyDocument),
        new("client BulkWriteReplaceOneModel", "BulkWriteReplaceOneModel",
            "_client.BulkWrite(new BulkWriteModel[] { new BulkWriteReplaceOneModel<Session>(\"app.sessions\", {|#0:new BsonDocument()|}, replacement) });",
            "_client.BulkWrite(new BulkWriteModel[] { new BulkWriteReplaceOneModel<Session>(\"app.sessions\", new BsonDocument(\"_id\", id), replacement) });", EmptyDocument),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Select(c => c.Name));

    public static TheoryData<string> Driver2CaseNames() => new(Cases.Where(c => !c.Positive.Contains("_client")).Select(c => c.Name).Take(8));

    private static WriteCase Case(string name) => Cases.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task WriteWithEmptyFilter_Reports(string name)
    {
        var c = Case(name);
        return WriteTestSource.ReportsAsync(Rule, c.Positive, DriverVersion.V3, c.Operation, "sessions", c.Detail);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task TargetedTwin_NoDiagnostic(string name) => WriteTestSource.NoDiagnosticAsync(Rule, Case(name).Twin);

    [Theory]
    [MemberData(nameof(Driver2CaseNames))]
    public Task WriteWithEmptyFilter_Driver2_Reports(string name)
    {
        var c = Case(name);
        return WriteTestSource.ReportsAsync(Rule, c.Positive, DriverVersion.V2, c.Operation, "sessions", c.Detail);
    }

    [Theory]
    [MemberData(nameof(Driver2CaseNames))]
    public Task TargetedTwin_Driver2_NoDiagnostic(string name) => WriteTestSource.NoDiagnosticAsync(Rule, Case(name).Twin, DriverVersion.V2);

    [Fact]
    public Task MessageNamesCollectionAndOperation_Reports()
    {
        var test = new Verify(Rule).Test(WriteTestSource.Wrap("_sessions.DeleteMany({|#0:Builders<Session>.Filter.Empty|});"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Rule).WithLocation(0)
            .WithMessage("DeleteMany on 'sessions' matches every document: the filter is empty")
            .WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
        return test.RunAsync();
    }

    [Theory]
    // Safe code from the issue.
    [InlineData("_sessions.DeleteMany(x => x.Expires < now);")]
    [InlineData("_sessions.UpdateMany(Builders<Session>.Filter.In(x => x.Id, ids), update);")]
    // In(field, []) matches nothing: it is not an unscoped write.
    [InlineData("_sessions.DeleteMany(Builders<Session>.Filter.In(x => x.Id, new List<string>()));")]
    // !Empty matches nothing; x => false matches nothing.
    [InlineData("_sessions.DeleteMany(!Builders<Session>.Filter.Empty);")]
    [InlineData("_sessions.DeleteMany(x => false);")]
    // Empty on one path only is QG1002's (filter built conditionally, client-side condition in an Or).
    [InlineData("_sessions.DeleteMany(tenantId == null ? Builders<Session>.Filter.Empty : Builders<Session>.Filter.Eq(x => x.TenantId, tenantId));")]
    [InlineData("_sessions.UpdateMany(x => tenantId == null || x.TenantId == tenantId, update);")]
    // A filter QueryGuard cannot see: silence, not a guess.
    [InlineData("_sessions.DeleteMany(given);")]
    [InlineData("_sessions.DeleteMany(Builders<Session>.Filter.And(new List<FilterDefinition<Session>> { given }.Where(f => f != null)));")]
    // Reads are not writes.
    [InlineData("_sessions.CountDocuments(Builders<Session>.Filter.Empty);")]
    [InlineData("_sessions.Find(x => true).ToList();")]
    // OfType adds a discriminator: that is QG1003's "only excludes", not "every document".
    [InlineData("_sessions.OfType<ArchivedSession>().DeleteMany(Builders<ArchivedSession>.Filter.Empty);")]
    public Task SafeOrOtherRulesShape_NoDiagnostic(string body) => WriteTestSource.NoDiagnosticAsync(Rule, body);

    [Theory]
    [InlineData("_sessions.DeleteMany(x => x.);")]
    [InlineData("_sessions.DeleteMany(Builders<Session>.Filter.Eq(x => x.Id, ));")]
    [InlineData("_sessions.UpdateMany(\"{ UserId: \", update);")]
    [InlineData("_sessions.DeleteMany(new BsonDocument { { \"UserId\" } });")]
    [InlineData("_sessions.DeleteOne(Builders<Session>.Filter.In(x => x.Id, new[] { tenantId, }));")]
    [InlineData("_sessions.BulkWrite(new WriteModel<Session>[] { new DeleteManyModel<Session>() });")]
    public Task HalfTypedCode_AnalyzersDoNotThrow(string body)
    {
        // The harness fails if an analyzer throws; no QueryGuard diagnostic is compared.
        var test = new QueryGuardTest
        {
            Source = WriteTestSource.Wrap(body),
            AllowCompilerErrors = true,
            ComparedRuleIds = Array.Empty<string>(),
        };
        return test.RunAsync();
    }

    // ---- Code fix: target one document ----------------------------------------------------------------

    [Theory]
    [InlineData(
        "_sessions.DeleteMany([|Builders<Session>.Filter.Empty|]);",
        "_sessions.DeleteOne(Builders<Session>.Filter.Eq(x => x.Id, id));")]
    [InlineData(
        "_sessions.UpdateManyAsync([|x => true|], update);",
        "_sessions.UpdateOneAsync(x => x.Id == id, update);")]
    [InlineData(
        "_sessions.UpdateMany([|_ => true|], update);",
        "_sessions.UpdateOne(x => x.Id == id, update);")]
    [InlineData(
        "_sessions.ReplaceOne([|\"{}\"|], replacement);",
        "_sessions.ReplaceOne(Builders<Session>.Filter.Eq(x => x.Id, id), replacement);")]
    [InlineData(
        "_sessions.FindOneAndDelete([|new BsonDocument()|]);",
        "_sessions.FindOneAndDelete(new BsonDocument(\"_id\", id));")]
    [InlineData(
        "_sessions.DeleteMany(handle, [|Builders<Session>.Filter.Empty & Builders<Session>.Filter.Empty|]);",
        "_sessions.DeleteOne(handle, Builders<Session>.Filter.Eq(x => x.Id, id));")]
    [InlineData(
        "_sessions.BulkWrite(new WriteModel<Session>[] { new UpdateManyModel<Session>([|FilterDefinition<Session>.Empty|], update) });",
        "_sessions.BulkWrite(new WriteModel<Session>[] { new UpdateOneModel<Session>(Builders<Session>.Filter.Eq(x => x.Id, id), update) });")]
    public Task EmptyFilter_FixTargetsId(string body, string fixedBody)
    {
        const string Parameters = "IClientSessionHandle handle, string id, UpdateDefinition<Session> update, Session replacement";
        return new Verify(Rule).FixAsync<TargetDocumentCodeFix>(
            WriteTestSource.Store(Parameters, body),
            WriteTestSource.Store(Parameters, fixedBody),
            TargetDocumentCodeFix.FilterOnIdKey);
    }

    [Fact]
    public Task ManyModelsInferredArray_KeepsMany()
    {
        // Renaming one element of `new[] { ... }` would change the array's inferred type: the write keeps DeleteMany.
        const string Parameters = "string id";
        return new Verify(Rule).FixAsync<TargetDocumentCodeFix>(
            WriteTestSource.Store(Parameters, "_sessions.BulkWrite(new[] { new DeleteManyModel<Session>([|Builders<Session>.Filter.Empty|]) });"),
            WriteTestSource.Store(Parameters, "_sessions.BulkWrite(new[] { new DeleteManyModel<Session>(Builders<Session>.Filter.Eq(x => x.Id, id)) });"),
            TargetDocumentCodeFix.FilterOnIdKey);
    }

    [Fact]
    public Task SeveralCandidates_OneActionEach_BestFirst()
    {
        const string Parameters = "Request request, Session current, string sessionId";
        var test = new Verify(Rule).Test(WriteTestSource.Store(Parameters, "_sessions.DeleteMany([|Builders<Session>.Filter.Empty|]);"));
        test.CodeFix = new TargetDocumentCodeFix();
        test.CodeActionIndex = 1;
        test.ExpectedActionTitles = new[]
        {
            "Use DeleteOne on '_id' == sessionId",
            "Use DeleteOne on '_id' == request.SessionId",
            "Use DeleteOne on '_id' == current.Id",
        };
        test.FixedSource = WriteTestSource.Store(Parameters, "_sessions.DeleteOne(Builders<Session>.Filter.Eq(x => x.Id, request.SessionId));");
        return test.RunAsync();
    }

    [Fact]
    public Task FixAll_FixesEveryWriteInTheDocument()
    {
        const string Parameters = "string id, UpdateDefinition<Session> update";
        return new Verify(Rule).FixAsync<TargetDocumentCodeFix>(
            WriteTestSource.Store(Parameters, "_sessions.UpdateMany([|x => true|], update);\n_sessions.DeleteMany([|Builders<Session>.Filter.Empty|]);"),
            WriteTestSource.Store(Parameters, "_sessions.UpdateOne(x => x.Id == id, update);\n_sessions.DeleteOne(Builders<Session>.Filter.Eq(x => x.Id, id));"),
            TargetDocumentCodeFix.FilterOnIdKey);
    }

    [Theory]
    // Nothing named like the id, or of the wrong type, or maybe-null: no action (the message still says what is wrong).
    [InlineData("string name, int count")]
    [InlineData("int id")]
    [InlineData("string? id")]
    public Task NoCandidateInScope_NoAction(string parameters)
    {
        var test = new Verify(Rule).Test(WriteTestSource.Store(parameters, "_sessions.DeleteMany([|Builders<Session>.Filter.Empty|]);"));
        test.CodeFix = new TargetDocumentCodeFix();
        return test.RunAsync();
    }

    [Fact]
    public Task Driver2_FixTargetsId()
    {
        const string Parameters = "string id";
        return new QueryGuardTest
        {
            Source = WriteTestSource.Store(Parameters, "_sessions.DeleteManyAsync([|x => true|]);"),
            FixedSource = WriteTestSource.Store(Parameters, "_sessions.DeleteOneAsync(x => x.Id == id);"),
            Driver = DriverVersion.V2,
            DefaultRuleId = Rule,
            ComparedRuleIds = new[] { Rule },
            CodeFix = new TargetDocumentCodeFix(),
            CodeActionEquivalenceKey = TargetDocumentCodeFix.FilterOnIdKey,
        }.RunAsync();
    }
}
