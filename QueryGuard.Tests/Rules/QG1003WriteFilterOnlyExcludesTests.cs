using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.Rules;

/// <summary>
/// QG1003: every condition of a write's filter is a negation or an existence test, so it matches nearly every
/// document; in an Or, one such branch widens the whole write. Every positive case has a near-identical twin
/// with a selecting condition that stays silent.
/// </summary>
public class QG1003WriteFilterOnlyExcludesTests
{
    private const string Rule = RuleIdentifiers.WriteFilterOnlyExcludes;

    private static string Every(string conditions) => "every condition is a negation or an existence test (" + conditions + ")";

    private static string OrBranch(string conditions) => "a branch of the Or only excludes documents (" + conditions + ")";

    private static readonly WriteCase[] Cases =
    {
        // Lambdas (IMongoCollectionExtensions): !x.Flag is $ne, x.Flag is an equality.
        new("!x.Flag", "UpdateMany",
            "_sessions.UpdateMany({|#0:x => !x.Revoked|}, update);",
            "_sessions.UpdateMany(x => x.Revoked, update);", Every("$ne on 'Revoked'")),
        new("!x.Flag vs x.Flag == false", "DeleteMany",
            "_sessions.DeleteMany({|#0:x => !x.Revoked|});",
            "_sessions.DeleteMany(x => x.Revoked == false);", Every("$ne on 'Revoked'")),
        new("!= in a lambda", "DeleteMany",
            "_sessions.DeleteMany({|#0:x => x.UserId != \"u1\"|});",
            "_sessions.DeleteMany(x => x.UserId == \"u1\");", Every("$ne on 'UserId'")),
        new("!(a == b) in a lambda", "UpdateMany",
            "_sessions.UpdateMany({|#0:x => !(x.UserId == \"u1\")|}, update);",
            "_sessions.UpdateMany(x => !(x.UserId != \"u1\"), update);", Every("$ne on 'UserId'")),
        new("!= null", "DeleteMany",
            "_sessions.DeleteMany({|#0:x => x.TenantId != null|});",
            "_sessions.DeleteMany(x => x.TenantId == \"t1\");", Every("$ne on 'TenantId'")),
        new("two negations joined by &&", "DeleteMany",
            "_sessions.DeleteMany({|#0:x => x.UserId != \"u1\" && x.TenantId != null|});",
            "_sessions.DeleteMany(x => x.UserId != \"u1\" && x.TenantId == \"t1\");", Every("$ne on 'UserId', $ne on 'TenantId'")),
        new("Or branch with a negation (lambda)", "DeleteMany",
            "_sessions.DeleteMany({|#0:x => x.Id == id || !x.Revoked|});",
            "_sessions.DeleteMany(x => x.Id == id || x.Revoked);", OrBranch("$ne on 'Revoked'")),

        // Builders.
        new("Filter.Ne", "DeleteMany",
            "_sessions.DeleteMany({|#0:Builders<Session>.Filter.Ne(x => x.UserId, \"u1\")|});",
            "_sessions.DeleteMany(Builders<Session>.Filter.Eq(x => x.UserId, \"u1\"));", Every("$ne on 'UserId'")),
        new("Filter.Nin over a list that may be empty", "DeleteMany",
            "_sessions.DeleteMany({|#0:Builders<Session>.Filter.Nin(x => x.Id, ids)|});",
            "_sessions.DeleteMany(Builders<Session>.Filter.In(x => x.Id, ids));",
            Every("$nin on '_id'") + "; $nin over 'ids' matches every document when 'ids' is empty"),
        new("Filter.Nin over an empty list", "DeleteMany",
            "_sessions.DeleteMany({|#0:Builders<Session>.Filter.Nin(x => x.Id, new List<string>())|});",
            "_sessions.DeleteMany(Builders<Session>.Filter.In(x => x.Id, new List<string>()));",
            Every("$nin on '_id'") + "; $nin over an empty list matches every document"),
        new("Filter.Not(Eq)", "UpdateMany",
            "_sessions.UpdateMany({|#0:Builders<Session>.Filter.Not(Builders<Session>.Filter.Eq(x => x.UserId, \"u1\"))|}, update);",
            "_sessions.UpdateMany(Builders<Session>.Filter.Not(Builders<Session>.Filter.Ne(x => x.UserId, \"u1\")), update);", Every("$ne on 'UserId'")),
        new("!Eq operator", "DeleteMany",
            "_sessions.DeleteMany({|#0:!Builders<Session>.Filter.Eq(x => x.UserId, \"u1\")|});",
            "_sessions.DeleteMany(!Builders<Session>.Filter.Ne(x => x.UserId, \"u1\"));", Every("$ne on 'UserId'")),
        new("!In operator", "DeleteMany",
            "_sessions.DeleteMany({|#0:!Builders<Session>.Filter.In(x => x.Id, new[] { \"a\", \"b\" })|});",
            "_sessions.DeleteMany(!Builders<Session>.Filter.Nin(x => x.Id, new[] { \"a\", \"b\" }));", Every("$nin on '_id'")),
        new("Filter.Exists", "UpdateMany",
            "_sessions.UpdateMany({|#0:Builders<Session>.Filter.Exists(x => x.TenantId)|}, update);",
            "_sessions.UpdateMany(Builders<Session>.Filter.Exists(x => x.TenantId) & Builders<Session>.Filter.Eq(x => x.UserId, \"u1\"), update);",
            Every("$exists: true on 'TenantId'")),
        new("Filter.Exists(false)", "DeleteMany",
            "_sessions.DeleteMany({|#0:Builders<Session>.Filter.Exists(x => x.TenantId, false)|});",
            "_sessions.DeleteMany(Builders<Session>.Filter.Exists(x => x.TenantId, false) & Builders<Session>.Filter.Lt(x => x.Expires, now));",
            Every("$exists: false on 'TenantId'")),
        new("Filter.Type", "DeleteMany",
            "_sessions.DeleteMany({|#0:Builders<Session>.Filter.Type(x => x.TenantId, \"string\")|});",
            "_sessions.DeleteMany(Builders<Session>.Filter.Type(x => x.TenantId, \"string\") & Builders<Session>.Filter.Eq(x => x.Id, id));",
            Every("$type on 'TenantId'")),
        new("Ne & Exists", "UpdateMany",
            "_sessions.UpdateMany({|#0:Builders<Session>.Filter.Ne(x => x.UserId, \"u1\") & Builders<Session>.Filter.Exists(x => x.TenantId)|}, update);",
            "_sessions.UpdateMany(Builders<Session>.Filter.Ne(x => x.UserId, \"u1\") & Builders<Session>.Filter.Eq(x => x.TenantId, \"t1\"), update);",
            Every("$ne on 'UserId', $exists: true on 'TenantId'")),
        new("Or branch with Exists (builder)", "DeleteMany",
            "_sessions.DeleteMany({|#0:Builders<Session>.Filter.Or(Builders<Session>.Filter.Eq(x => x.Id, id), Builders<Session>.Filter.Exists(x => x.TenantId))|});",
            "_sessions.DeleteMany(Builders<Session>.Filter.Or(Builders<Session>.Filter.Eq(x => x.Id, id), Builders<Session>.Filter.Eq(x => x.TenantId, \"t1\")));",
            OrBranch("$exists: true on 'TenantId'")),
        new("Filter.Where(x => !x.Flag)", "DeleteMany",
            "_sessions.DeleteMany({|#0:Builders<Session>.Filter.Where(x => !x.Revoked)|});",
            "_sessions.DeleteMany(Builders<Session>.Filter.Where(x => x.Revoked));", Every("$ne on 'Revoked'")),

        // JSON strings and BsonDocuments.
        new("JSON $ne", "DeleteMany",
            "_sessions.DeleteMany({|#0:\"{ Revoked: { $ne: true } }\"|});",
            "_sessions.DeleteMany(\"{ Revoked: true }\");", Every("$ne on 'Revoked'")),
        new("JSON $nin over []", "DeleteMany",
            "_sessions.DeleteMany({|#0:\"{ _id: { $nin: [] } }\"|});",
            "_sessions.DeleteMany(\"{ _id: { $in: [] } }\");", Every("$nin on '_id'") + "; $nin over an empty list matches every document"),
        new("JSON $nor", "UpdateMany",
            "_sessions.UpdateMany({|#0:\"{ $nor: [ { UserId: 'u1' } ] }\"|}, update);",
            "_sessions.UpdateMany(\"{ $and: [ { UserId: 'u1' } ] }\", update);", Every("$ne on 'UserId'")),
        new("BsonDocument $ne", "DeleteMany",
            "_sessions.DeleteMany({|#0:new BsonDocument(\"UserId\", new BsonDocument(\"$ne\", \"u1\"))|});",
            "_sessions.DeleteMany(new BsonDocument(\"UserId\", new BsonDocument(\"$eq\", \"u1\")));", Every("$ne on 'UserId'")),
        new("BsonDocument $exists", "DeleteMany",
            "_sessions.DeleteMany({|#0:new BsonDocument { { \"TenantId\", new BsonDocument(\"$exists\", false) } }|});",
            "_sessions.DeleteMany(new BsonDocument { { \"TenantId\", new BsonDocument(\"$exists\", false) }, { \"UserId\", \"u1\" } });",
            Every("$exists: false on 'TenantId'")),

        // Every write entry point, sync and Async, with and without session.
        new("UpdateOne", "UpdateOne",
            "_sessions.UpdateOne({|#0:x => !x.Revoked|}, update);",
            "_sessions.UpdateOne(x => !x.Revoked && x.Id == id, update);", Every("$ne on 'Revoked'")),
        new("ReplaceOneAsync with session", "ReplaceOne",
            "await _sessions.ReplaceOneAsync(handle, {|#0:x => x.UserId != \"u1\"|}, replacement);",
            "await _sessions.ReplaceOneAsync(handle, x => x.UserId == \"u1\", replacement);", Every("$ne on 'UserId'")),
        new("DeleteOneAsync", "DeleteOne",
            "await _sessions.DeleteOneAsync({|#0:Builders<Session>.Filter.Ne(x => x.UserId, \"u1\")|});",
            "await _sessions.DeleteOneAsync(Builders<Session>.Filter.Eq(x => x.UserId, \"u1\"));", Every("$ne on 'UserId'")),
        new("DeleteManyAsync with session", "DeleteMany",
            "await _sessions.DeleteManyAsync(handle, {|#0:x => !x.Revoked|});",
            "await _sessions.DeleteManyAsync(handle, x => x.Revoked);", Every("$ne on 'Revoked'")),
        new("UpdateManyAsync with session", "UpdateMany",
            "await _sessions.UpdateManyAsync(handle, {|#0:Builders<Session>.Filter.Exists(x => x.TenantId)|}, update);",
            "await _sessions.UpdateManyAsync(handle, Builders<Session>.Filter.Eq(x => x.TenantId, \"t1\"), update);", Every("$exists: true on 'TenantId'")),
        new("FindOneAndDelete", "FindOneAndDelete",
            "_sessions.FindOneAndDelete({|#0:Builders<Session>.Filter.Ne(x => x.UserId, \"u1\")|});",
            "_sessions.FindOneAndDelete(Builders<Session>.Filter.Eq(x => x.UserId, \"u1\"));", Every("$ne on 'UserId'")),
        new("FindOneAndUpdateAsync", "FindOneAndUpdate",
            "await _sessions.FindOneAndUpdateAsync({|#0:x => !x.Revoked|}, update);",
            "await _sessions.FindOneAndUpdateAsync(x => x.Revoked, update);", Every("$ne on 'Revoked'")),
        new("FindOneAndReplaceAsync filter before session", "FindOneAndReplace",
            "await _sessions.FindOneAndReplaceAsync({|#0:x => !x.Revoked|}, handle, replacement);",
            "await _sessions.FindOneAndReplaceAsync(x => x.Revoked, handle, replacement);", Every("$ne on 'Revoked'")),
        new("FindOneAndReplace builder", "FindOneAndReplace",
            "_sessions.FindOneAndReplace({|#0:Builders<Session>.Filter.Ne(x => x.Id, id)|}, replacement);",
            "_sessions.FindOneAndReplace(Builders<Session>.Filter.Eq(x => x.Id, id), replacement);", Every("$ne on '_id'")),

        // Write models and client bulk-write models.
        new("DeleteManyModel", "DeleteManyModel",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new DeleteManyModel<Session>({|#0:Builders<Session>.Filter.Ne(x => x.UserId, \"u1\")|}) });",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new DeleteManyModel<Session>(Builders<Session>.Filter.Eq(x => x.UserId, \"u1\")) });", Every("$ne on 'UserId'")),
        new("UpdateManyModel with JSON", "UpdateManyModel",
            "_sessions.BulkWrite(new List<WriteModel<Session>> { new UpdateManyModel<Session>({|#0:\"{ TenantId: { $exists: false } }\"|}, update) });",
            "_sessions.BulkWrite(new List<WriteModel<Session>> { new UpdateManyModel<Session>(\"{ TenantId: { $exists: false }, UserId: 'u1' }\", update) });",
            Every("$exists: false on 'TenantId'")),
        new("client BulkWriteDeleteManyModel Nin", "BulkWriteDeleteManyModel",
            "_client.BulkWrite(new BulkWriteModel[] { new BulkWriteDeleteManyModel<Session>(\"app.sessions\", {|#0:Builders<Session>.Filter.Nin(x => x.Id, ids)|}) });",
            "_client.BulkWrite(new BulkWriteModel[] { new BulkWriteDeleteManyModel<Session>(\"app.sessions\", Builders<Session>.Filter.In(x => x.Id, ids)) });",
            Every("$nin on '_id'") + "; $nin over 'ids' matches every document when 'ids' is empty"),
        new("client BulkWriteUpdateOneModel", "BulkWriteUpdateOneModel",
            "_client.BulkWrite(new BulkWriteModel[] { new BulkWriteUpdateOneModel<Session>(\"app.sessions\", {|#0:Builders<Session>.Filter.Ne(x => x.UserId, \"u1\")|}, update) });",
            "_client.BulkWrite(new BulkWriteModel[] { new BulkWriteUpdateOneModel<Session>(\"app.sessions\", Builders<Session>.Filter.Eq(x => x.UserId, \"u1\"), update) });",
            Every("$ne on 'UserId'")),

        // OfType: a filtered collection ANDs its discriminator into every write.
        new("OfType with Empty", "DeleteMany",
            "_sessions.OfType<ArchivedSession>().DeleteMany({|#0:Builders<ArchivedSession>.Filter.Empty|});",
            "_sessions.OfType<ArchivedSession>().DeleteMany(Builders<ArchivedSession>.Filter.Eq(x => x.UserId, \"u1\"));",
            "the only condition is the OfType discriminator"),
        new("Filter.OfType<T>() alone", "DeleteMany",
            "_sessions.DeleteMany({|#0:Builders<Session>.Filter.OfType<ArchivedSession>()|});",
            "_sessions.DeleteMany(Builders<Session>.Filter.OfType<ArchivedSession>(x => x.UserId == \"u1\"));",
            "the only condition is the OfType discriminator"),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Select(c => c.Name));

    public static TheoryData<string> Driver2CaseNames() => new(Cases.Where(c => !c.Positive.Contains("_client")).Select(c => c.Name).Take(8));

    private static WriteCase Case(string name) => Cases.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task ExcludingFilter_Reports(string name)
    {
        var c = Case(name);
        return WriteTestSource.ReportsAsync(Rule, c.Positive, DriverVersion.V3, c.Operation, "sessions", c.Detail);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task SelectingTwin_NoDiagnostic(string name) => WriteTestSource.NoDiagnosticAsync(Rule, Case(name).Twin);

    [Theory]
    [MemberData(nameof(Driver2CaseNames))]
    public Task ExcludingFilter_Driver2_Reports(string name)
    {
        var c = Case(name);
        return WriteTestSource.ReportsAsync(Rule, c.Positive, DriverVersion.V2, c.Operation, "sessions", c.Detail);
    }

    [Theory]
    [MemberData(nameof(Driver2CaseNames))]
    public Task SelectingTwin_Driver2_NoDiagnostic(string name) => WriteTestSource.NoDiagnosticAsync(Rule, Case(name).Twin, DriverVersion.V2);

    [Fact]
    public Task UnscopedWrite_DoesNotAlsoReportQG1005()
    {
        var test = new QueryGuardTest
        {
            Source = WriteTestSource.Wrap("_sessions.DeleteOne({|#0:x => !x.Revoked|});"),
            ComparedRuleIds = new[] { Rule, RuleIdentifiers.SingleWriteDoesNotIdentifyDocument },
        };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Rule).WithLocation(0));
        return test.RunAsync();
    }

    [Theory]
    // Ranges, regexes and equalities select documents.
    [InlineData("_sessions.DeleteMany(x => x.Expires < now);")]
    [InlineData("_sessions.DeleteMany(x => x.UserId.StartsWith(\"u\"));")]
    [InlineData("_sessions.UpdateMany(Builders<Session>.Filter.In(x => x.Id, ids), update);")]
    // A negation next to an equality is narrowed by the equality.
    [InlineData("_sessions.DeleteMany(x => x.UserId == \"u1\" && !x.Revoked);")]
    // QG1002's shapes: a client-side condition in an Or, a filter chosen by the code path.
    [InlineData("_sessions.DeleteMany(x => tenantId == null || x.TenantId != tenantId);")]
    [InlineData("_sessions.DeleteMany(tenantId == null ? Builders<Session>.Filter.Ne(x => x.Revoked, true) : Builders<Session>.Filter.Eq(x => x.TenantId, tenantId));")]
    // A part QueryGuard cannot see could select anything.
    [InlineData("_sessions.DeleteMany(given & Builders<Session>.Filter.Ne(x => x.Revoked, true));")]
    [InlineData("_sessions.DeleteMany(Builders<Session>.Filter.Or(given, Builders<Session>.Filter.Ne(x => x.Revoked, true)) & Builders<Session>.Filter.Eq(x => x.Id, id));")]
    // Reads are not writes.
    [InlineData("_sessions.CountDocuments(x => !x.Revoked);")]
    [InlineData("_sessions.Find(Builders<Session>.Filter.Ne(x => x.UserId, \"u1\")).ToList();")]
    public Task SafeOrOtherRulesShape_NoDiagnostic(string body) => WriteTestSource.NoDiagnosticAsync(Rule, body);
}
