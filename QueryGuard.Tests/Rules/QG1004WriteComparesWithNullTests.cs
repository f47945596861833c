using QueryGuard.CodeFixes;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.Rules;

/// <summary>
/// QG1004: an equality (or <c>$in</c> item) of a write compares with a value that may be null, by the compiler's
/// nullable flow state; <c>{f: null}</c> also matches every document without f. Each positive case has a twin in
/// which a null check (or a non-null value) makes the flow state not-null, and that twin is silent: this also
/// pins down that Roslyn reports maybe-null for the shapes the rule relies on (nullable reference types,
/// <c>Nullable&lt;T&gt;</c>, properties, fields, locals, values captured by the filter lambda).
/// </summary>
public class QG1004WriteComparesWithNullTests
{
    private const string Rule = RuleIdentifiers.WriteComparesWithNull;

    private static readonly WriteCase[] Cases =
    {
        new("lambda, nullable string parameter", "DeleteMany",
            "_sessions.DeleteMany({|#0:x => x.TenantId == tenantId|});",
            "if (tenantId is null) return;\n_sessions.DeleteMany(x => x.TenantId == tenantId);", "TenantId|tenantId"),
        new("builder Eq, nullable string parameter", "DeleteMany",
            "_sessions.DeleteMany({|#0:Builders<Session>.Filter.Eq(x => x.TenantId, tenantId)|});",
            "if (tenantId is null) return;\n_sessions.DeleteMany(Builders<Session>.Filter.Eq(x => x.TenantId, tenantId));", "TenantId|tenantId"),
        new("UpdateManyAsync with session, thrown guard", "UpdateMany",
            "await _sessions.UpdateManyAsync(handle, {|#0:x => x.TenantId == tenantId|}, update);",
            "if (tenantId == null) throw new ArgumentNullException(nameof(tenantId));\nawait _sessions.UpdateManyAsync(handle, x => x.TenantId == tenantId, update);", "TenantId|tenantId"),
        new("Nullable<int> in a lambda", "UpdateMany",
            "_sessions.UpdateMany({|#0:x => x.Version == version|}, update);",
            "if (version is null) return;\n_sessions.UpdateMany(x => x.Version == version, update);", "Version|version"),
        new("Nullable<int> in a builder, HasValue guard", "DeleteMany",
            "_sessions.DeleteMany({|#0:Builders<Session>.Filter.Eq(x => x.Version, version)|});",
            "if (!version.HasValue) return;\n_sessions.DeleteMany(Builders<Session>.Filter.Eq(x => x.Version, version));", "Version|version"),
        new("default(string)", "UpdateMany",
            "_sessions.UpdateMany({|#0:Builders<Session>.Filter.Eq(x => x.TenantId, default(string))|}, update);",
            "_sessions.UpdateMany(Builders<Session>.Filter.Eq(x => x.TenantId, \"t1\"), update);", "TenantId|default(string)"),
        new("default literal", "DeleteMany",
            "_sessions.DeleteMany({|#0:Builders<Session>.Filter.Eq(x => x.TenantId, default)|});",
            "_sessions.DeleteMany(Builders<Session>.Filter.Eq(x => x.TenantId, \"t1\"));", "TenantId|default"),
        new("In over a written list with a maybe-null item", "DeleteMany",
            "_sessions.DeleteMany({|#0:Builders<Session>.Filter.In(x => x.TenantId, new[] { tenantId, \"t2\" })|});",
            "if (tenantId is null) return;\n_sessions.DeleteMany(Builders<Session>.Filter.In(x => x.TenantId, new[] { tenantId, \"t2\" }));", "TenantId|tenantId"),
        new("Contains over a written list with a maybe-null item", "UpdateMany",
            "_sessions.UpdateMany({|#0:x => new List<string?> { \"t2\", tenantId }.Contains(x.TenantId)|}, update);",
            "_sessions.UpdateMany(x => new List<string?> { \"t2\", \"t3\" }.Contains(x.TenantId), update);", "TenantId|tenantId"),
        new("property of a parameter", "DeleteMany",
            "_sessions.DeleteMany({|#0:x => x.TenantId == request.TenantId|});",
            "if (request.TenantId is null) return;\n_sessions.DeleteMany(x => x.TenantId == request.TenantId);", "TenantId|request.TenantId"),
        new("field of this", "UpdateMany",
            "_sessions.UpdateMany({|#0:x => x.TenantId == _tenantId|}, update);",
            "if (_tenantId is null) return;\n_sessions.UpdateMany(x => x.TenantId == _tenantId, update);", "TenantId|_tenantId"),
        new("local from a method that may return null", "DeleteMany",
            "var found = FindTenant();\n_sessions.DeleteMany({|#0:x => x.TenantId == found|});",
            "var found = FindTenant() ?? \"none\";\n_sessions.DeleteMany(x => x.TenantId == found);", "TenantId|found"),
        new("BsonDocument element", "DeleteMany",
            "_sessions.DeleteMany({|#0:new BsonDocument(\"TenantId\", tenantId)|});",
            "if (tenantId is null) return;\n_sessions.DeleteMany(new BsonDocument(\"TenantId\", tenantId));", "TenantId|tenantId"),
        new("Or branch", "UpdateMany",
            "_sessions.UpdateMany({|#0:x => x.UserId == \"u1\" || x.TenantId == tenantId|}, update);",
            "if (tenantId is null) return;\n_sessions.UpdateMany(x => x.UserId == \"u1\" || x.TenantId == tenantId, update);", "TenantId|tenantId"),
        new("ReplaceOne with another condition", "ReplaceOne",
            "_sessions.ReplaceOne({|#0:x => x.UserId == \"u1\" && x.TenantId == tenantId|}, replacement);",
            "if (tenantId is null) return;\n_sessions.ReplaceOne(x => x.UserId == \"u1\" && x.TenantId == tenantId, replacement);", "TenantId|tenantId"),
        new("DeleteOneAsync with session", "DeleteOne",
            "await _sessions.DeleteOneAsync(handle, {|#0:x => x.TenantId == tenantId|});",
            "if (tenantId is null) return;\nawait _sessions.DeleteOneAsync(handle, x => x.TenantId == tenantId);", "TenantId|tenantId"),
        new("FindOneAndUpdate", "FindOneAndUpdate",
            "_sessions.FindOneAndUpdate({|#0:x => x.TenantId == tenantId|}, update);",
            "if (tenantId is null) return;\n_sessions.FindOneAndUpdate(x => x.TenantId == tenantId, update);", "TenantId|tenantId"),
        new("FindOneAndReplaceAsync filter before session", "FindOneAndReplace",
            "await _sessions.FindOneAndReplaceAsync({|#0:x => x.TenantId == tenantId|}, handle, replacement);",
            "if (tenantId is null) return;\nawait _sessions.FindOneAndReplaceAsync(x => x.TenantId == tenantId, handle, replacement);", "TenantId|tenantId"),
        new("FindOneAndDelete builder", "FindOneAndDelete",
            "_sessions.FindOneAndDelete({|#0:Builders<Session>.Filter.Eq(x => x.TenantId, tenantId)|});",
            "if (tenantId is null) return;\n_sessions.FindOneAndDelete(Builders<Session>.Filter.Eq(x => x.TenantId, tenantId));", "TenantId|tenantId"),
        new("UpdateManyModel", "UpdateManyModel",
            "_sessions.BulkWrite(new WriteModel<Session>[] { new UpdateManyModel<Session>({|#0:Builders<Session>.Filter.Eq(x => x.TenantId, tenantId)|}, update) });",
            "if (tenantId is null) return;\n_sessions.BulkWrite(new WriteModel<Session>[] { new UpdateManyModel<Session>(Builders<Session>.Filter.Eq(x => x.TenantId, tenantId), update) });", "TenantId|tenantId"),
        new("client BulkWriteDeleteManyModel", "BulkWriteDeleteManyModel",
            "_client.BulkWrite(new BulkWriteModel[] { new BulkWriteDeleteManyModel<Session>(\"app.sessions\", {|#0:Builders<Session>.Filter.Eq(x => x.TenantId, tenantId)|}) });",
            "if (tenantId is null) return;\n_client.BulkWrite(new BulkWriteModel[] { new BulkWriteDeleteManyModel<Session>(\"app.sessions\", Builders<Session>.Filter.Eq(x => x.TenantId, tenantId)) });", "TenantId|tenantId"),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Select(c => c.Name));

    public static TheoryData<string> Driver2CaseNames() => new(Cases.Where(c => !c.Positive.Contains("_client")).Select(c => c.Name).Take(5));

    private static WriteCase Case(string name) => Cases.Single(c => c.Name == name);

    private static Task ReportsAsync(string name, DriverVersion driver)
    {
        var c = Case(name);
        var (field, value) = (c.Detail.Split('|')[0], c.Detail.Split('|')[1]);
        return WriteTestSource.ReportsAsync(Rule, c.Positive, driver, c.Operation, "sessions", field, value);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task MaybeNullValue_Reports(string name) => ReportsAsync(name, DriverVersion.V3);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task NotNullTwin_NoDiagnostic(string name) => WriteTestSource.NoDiagnosticAsync(Rule, Case(name).Twin);

    [Theory]
    [MemberData(nameof(Driver2CaseNames))]
    public Task MaybeNullValue_Driver2_Reports(string name) => ReportsAsync(name, DriverVersion.V2);

    [Theory]
    [MemberData(nameof(Driver2CaseNames))]
    public Task NotNullTwin_Driver2_NoDiagnostic(string name) => WriteTestSource.NoDiagnosticAsync(Rule, Case(name).Twin, DriverVersion.V2);

    [Fact]
    public Task Message_Reports()
    {
        var test = new Verify(Rule).Test(WriteTestSource.Wrap("_sessions.DeleteMany({|#0:x => x.TenantId == tenantId|});"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Rule).WithLocation(0).WithMessage(
            "DeleteMany on 'sessions' compares 'TenantId' with 'tenantId', which may be null: a null value also matches every document without 'TenantId'"));
        return test.RunAsync();
    }

    [Fact]
    public Task TwoMaybeNullValues_ReportsEach()
    {
        var test = new Verify(Rule).Test(WriteTestSource.Wrap("_sessions.DeleteMany({|#0:x => x.TenantId == tenantId && x.Version == version|});"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Rule).WithLocation(0).WithArguments("DeleteMany", "sessions", "TenantId", "tenantId"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(Rule).WithLocation(0).WithArguments("DeleteMany", "sessions", "Version", "version"));
        return test.RunAsync();
    }

    [Fact]
    public Task NullableDisabledProject_NoDiagnostic()
    {
        var test = new Verify(Rule).Test(WriteTestSource.Wrap("_sessions.DeleteMany(x => x.TenantId == tenantId);"));
        test.Nullable = Microsoft.CodeAnalysis.NullableContextOptions.Disable;
        return test.RunAsync();
    }

    [Theory]
    // A literal null is a deliberate "null or missing" query, in every filter form: not reported.
    [InlineData("_sessions.UpdateMany(x => x.TenantId == null, update);")]
    [InlineData("_sessions.UpdateMany(Builders<Session>.Filter.Eq(x => x.TenantId, null), update);")]
    [InlineData("_sessions.UpdateMany(x => x.Version == null, update);")]
    [InlineData("_sessions.UpdateMany(Builders<Session>.Filter.Eq(x => x.TenantId, (string?)null), update);")]
    [InlineData("_sessions.DeleteMany(\"{ TenantId: null }\");")]
    // _id is never missing: a null _id cannot widen the write.
    [InlineData("_sessions.DeleteOne(x => x.Id == tenantId);")]
    // Negations are not equalities (QG1003 covers them).
    [InlineData("_sessions.DeleteMany(x => x.UserId == \"u1\" && x.TenantId != tenantId);")]
    [InlineData("_sessions.DeleteMany(Builders<Session>.Filter.Nin(x => x.TenantId, new[] { tenantId }));")]
    // The flow state follows the code: a null check in the lambda's own || makes the value not-null there.
    [InlineData("_sessions.UpdateMany(x => tenantId != null && x.TenantId == tenantId, update);")]
    // A maybe-null list is not a null value.
    [InlineData("List<string>? maybe = ids.Count > 0 ? ids : null;\n_sessions.DeleteMany(Builders<Session>.Filter.In(x => x.UserId, maybe!));")]
    // Nullable analysis off: QueryGuard does not guess.
    [InlineData("#nullable disable\n_sessions.DeleteMany(x => x.TenantId == tenantId);\n#nullable restore")]
    // Reads are not writes.
    [InlineData("_sessions.CountDocuments(x => x.TenantId == tenantId);")]
    public Task NotAMaybeNullEquality_NoDiagnostic(string body) => WriteTestSource.NoDiagnosticAsync(Rule, body);

    // ---- Code fix: null guard before the statement ----------------------------------------------------

    private const string FixParameters = "string? tenantId, int? version, Request request, UpdateDefinition<Session> update";

    [Theory]
    [InlineData(
        "_sessions.DeleteMany([|x => x.TenantId == tenantId|]);",
        "ArgumentNullException.ThrowIfNull(tenantId);\n_sessions.DeleteMany(x => x.TenantId == tenantId);")]
    [InlineData(
        "var result = _sessions.UpdateMany([|Builders<Session>.Filter.Eq(x => x.TenantId, tenantId)|], update);",
        "ArgumentNullException.ThrowIfNull(tenantId);\nvar result = _sessions.UpdateMany(Builders<Session>.Filter.Eq(x => x.TenantId, tenantId), update);")]
    [InlineData(
        "_sessions.DeleteMany([|x => x.TenantId == request.TenantId|]);",
        "ArgumentNullException.ThrowIfNull(request.TenantId);\n_sessions.DeleteMany(x => x.TenantId == request.TenantId);")]
    [InlineData(
        "var local = request.TenantId;\n_sessions.DeleteMany([|new BsonDocument(\"TenantId\", local)|]);",
        "var local = request.TenantId;\nArgumentNullException.ThrowIfNull(local);\n_sessions.DeleteMany(new BsonDocument(\"TenantId\", local));")]
    [InlineData(
        "_sessions.UpdateMany([|x => x.Version == version|], update);",
        "ArgumentNullException.ThrowIfNull(version);\n_sessions.UpdateMany(x => x.Version == version, update);")]
    // Not a parameter or local: the if-form.
    [InlineData(
        "_sessions.DeleteMany([|x => x.TenantId == _tenantId|]);",
        "if (_tenantId is null) throw new ArgumentNullException(nameof(_tenantId));\n_sessions.DeleteMany(x => x.TenantId == _tenantId);")]
    public Task MaybeNullValue_FixAddsGuard(string body, string fixedBody) =>
        new Verify(Rule).FixAsync<AddNullGuardCodeFix>(
            WriteTestSource.Store(FixParameters, body),
            WriteTestSource.Store(FixParameters, fixedBody),
            AddNullGuardCodeFix.ThrowIfNullKey);

    [Fact]
    public Task ExpressionBodiedMethod_BecomesABlock()
    {
        var source = WriteTestSource.Header + """
            public class Purger
            {
                public DeleteResult Purge(IMongoCollection<Session> sessions, string? tenantId) => sessions.DeleteMany([|x => x.TenantId == tenantId|]);

                public void Forget(IMongoCollection<Session> sessions, string? tenantId) => sessions.DeleteMany([|x => x.TenantId == tenantId|]);
            }
            """;
        var fixedSource = WriteTestSource.Header + """
            public class Purger
            {
                public DeleteResult Purge(IMongoCollection<Session> sessions, string? tenantId)
                {
                    ArgumentNullException.ThrowIfNull(tenantId);
                    return sessions.DeleteMany(x => x.TenantId == tenantId);
                }

                public void Forget(IMongoCollection<Session> sessions, string? tenantId)
                {
                    ArgumentNullException.ThrowIfNull(tenantId);
                    sessions.DeleteMany(x => x.TenantId == tenantId);
                }
            }
            """;
        return new Verify(Rule).FixAsync<AddNullGuardCodeFix>(source, fixedSource, AddNullGuardCodeFix.ThrowIfNullKey);
    }

    [Fact]
    public Task FrameworkWithoutThrowIfNull_IfForm()
    {
        // A compilation whose System.ArgumentNullException has no ThrowIfNull (older target frameworks): the source
        // declares its own, which the compilation prefers (CS0436 is only a warning).
        var source = WriteTestSource.Header + """
            namespace System
            {
                public class ArgumentNullException : Exception
                {
                    public ArgumentNullException(string? paramName) { }
                }
            }

            public class Purger
            {
                public void Purge(IMongoCollection<Session> sessions, string? tenantId)
                {
                    sessions.DeleteMany([|x => x.TenantId == tenantId|]);
                }
            }
            """;
        return new Verify(Rule).FixAsync<AddNullGuardCodeFix>(
            source,
            source.Replace("        sessions.DeleteMany([|", "        if (tenantId is null) throw new ArgumentNullException(nameof(tenantId));\n        sessions.DeleteMany(").Replace("|]);", ");"),
            AddNullGuardCodeFix.ThrowIfNullKey);
    }

    [Fact]
    public Task FixAll_GuardsEveryWriteInTheDocument() =>
        new Verify(Rule).FixAsync<AddNullGuardCodeFix>(
            WriteTestSource.Store(FixParameters, "_sessions.DeleteMany([|x => x.TenantId == tenantId|]);\n_sessions.UpdateMany([|x => x.Version == version|], update);"),
            WriteTestSource.Store(FixParameters, "ArgumentNullException.ThrowIfNull(tenantId);\n_sessions.DeleteMany(x => x.TenantId == tenantId);\nArgumentNullException.ThrowIfNull(version);\n_sessions.UpdateMany(x => x.Version == version, update);"),
            AddNullGuardCodeFix.ThrowIfNullKey);

    [Theory]
    // A call could return something else the second time: no guard.
    [InlineData("_sessions.DeleteMany([|x => x.TenantId == FindTenant()|]);")]
    // Inside another lambda the guard would run at the wrong time.
    [InlineData("Action purge = () => _sessions.DeleteMany([|x => x.TenantId == tenantId|]);")]
    // An embedded statement has no place for a guard before it.
    [InlineData("if (version > 1) _sessions.DeleteMany([|x => x.TenantId == tenantId|]);")]
    public Task NotGuardable_NoAction(string body)
    {
        var test = new Verify(Rule).Test(WriteTestSource.Store(FixParameters, body).Replace("    }\n}", "    }\n\n    private static string? FindTenant() => null;\n}"));
        test.CodeFix = new AddNullGuardCodeFix();
        return test.RunAsync();
    }

    [Fact]
    public Task Driver2_FixAddsGuard() => new QueryGuardTest
    {
        Source = WriteTestSource.Store(FixParameters, "_sessions.UpdateMany([|Builders<Session>.Filter.Eq(x => x.TenantId, tenantId)|], update);"),
        FixedSource = WriteTestSource.Store(FixParameters, "ArgumentNullException.ThrowIfNull(tenantId);\n_sessions.UpdateMany(Builders<Session>.Filter.Eq(x => x.TenantId, tenantId), update);"),
        Driver = DriverVersion.V2,
        DefaultRuleId = Rule,
        ComparedRuleIds = new[] { Rule },
        CodeFix = new AddNullGuardCodeFix(),
        CodeActionEquivalenceKey = AddNullGuardCodeFix.ThrowIfNullKey,
    }.RunAsync();
}
