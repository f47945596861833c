using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.Rules;

/// <summary>
/// QG1002 and the flow analysis behind it: filters built across statements, branches, lists, loops, try/finally,
/// local functions, async methods and helper methods. Every positive case has a near-identical safe twin.
/// </summary>
public class QG1002WriteFilterEmptyOnSomePathTests
{
    private static readonly Verify Verify = new(RuleIdentifiers.WriteFilterEmptyOnSomePath);

    private static string Code(string members) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using MongoDB.Driver;

        public class Workspace
        {
            public string Id { get; set; } = "";
            public string OwnerId { get; set; } = "";
            public string Name { get; set; } = "";
            public bool Deleted { get; set; }
        }

        public class WorkspaceStore
        {
            private readonly IMongoCollection<Workspace> _workspaces;
            private static readonly FilterDefinitionBuilder<Workspace> F = Builders<Workspace>.Filter;
            private static readonly UpdateDefinition<Workspace> SoftDelete = Builders<Workspace>.Update.Set(w => w.Deleted, true);

            public WorkspaceStore(IMongoDatabase db) => _workspaces = db.GetCollection<Workspace>("workspaces");

        {{members}}
        }
        """;

    [Theory]
    // The 4 Aug shape: the condition is only added inside an if.
    [InlineData(
        "public async Task Run(string? lastMemberWorkspaceId) { var filter = F.Empty; if (lastMemberWorkspaceId != null) { filter &= F.Eq(w => w.Id, lastMemberWorkspaceId); } await _workspaces.UpdateManyAsync([|filter|], SoftDelete); }",
        "public async Task Run(string? lastMemberWorkspaceId) { if (lastMemberWorkspaceId is null) { return; } var filter = F.Empty; filter &= F.Eq(w => w.Id, lastMemberWorkspaceId); await _workspaces.UpdateManyAsync(filter, SoftDelete); }")]
    // Reassigned on one branch.
    [InlineData(
        "public void Run(string id, bool all) { var filter = F.Eq(w => w.Id, id); if (all) filter = F.Empty; _workspaces.DeleteMany([|filter|]); }",
        "public void Run(string id, bool all) { var filter = F.Eq(w => w.Id, id); if (all) filter = F.Eq(w => w.OwnerId, id); _workspaces.DeleteMany(filter); }")]
    // Ternary, in place and through a local.
    [InlineData(
        "public void Run(string id, bool all) => _workspaces.DeleteMany([|all ? F.Empty : F.Eq(w => w.Id, id)|]);",
        "public void Run(string id, bool all) => _workspaces.DeleteMany(all ? F.Eq(w => w.OwnerId, id) : F.Eq(w => w.Id, id));")]
    [InlineData(
        "public void Run(string id, bool all) { var filter = all ? F.Empty : F.Eq(w => w.Id, id); _workspaces.DeleteMany([|filter|]); }",
        "public void Run(string id, bool all) { var filter = all ? F.Eq(w => w.OwnerId, id) : F.Eq(w => w.Id, id); _workspaces.DeleteMany(filter); }")]
    // switch expression.
    [InlineData(
        "public void Run(string id, string scope) { var filter = scope switch { \"all\" => F.Empty, _ => F.Eq(w => w.Id, id) }; _workspaces.DeleteMany([|filter|]); }",
        "public void Run(string id, string scope) { var filter = scope switch { \"owner\" => F.Eq(w => w.OwnerId, id), _ => F.Eq(w => w.Id, id) }; _workspaces.DeleteMany(filter); }")]
    // ?? with an empty fallback.
    [InlineData(
        "public void Run(FilterDefinition<Workspace>? custom) => _workspaces.DeleteMany([|custom ?? F.Empty|]);",
        "public void Run(FilterDefinition<Workspace>? custom, string id) => _workspaces.DeleteMany(custom ?? F.Eq(w => w.Id, id));")]
    // Client-side constants inside the lambda (reference §4.1: the driver folds them).
    [InlineData(
        "public void Run(string? ownerId) => _workspaces.UpdateMany([|w => ownerId == null || w.OwnerId == ownerId|], SoftDelete);",
        "public void Run(string? ownerId) { if (ownerId is null) return; _workspaces.UpdateMany(w => ownerId == null || w.OwnerId == ownerId, SoftDelete); }")]
    [InlineData(
        "public void Run(string ownerId, bool everyone) => _workspaces.UpdateMany([|w => everyone || w.OwnerId == ownerId|], SoftDelete);",
        "public void Run(string ownerId, bool everyone) => _workspaces.UpdateMany(w => everyone && w.OwnerId == ownerId, SoftDelete);")]
    // A list of filters every Add of which is conditional.
    [InlineData(
        "public void Run(string? id, string? ownerId) { var filters = new List<FilterDefinition<Workspace>>(); if (id != null) filters.Add(F.Eq(w => w.Id, id)); if (ownerId != null) filters.Add(F.Eq(w => w.OwnerId, ownerId)); _workspaces.DeleteMany([|F.And(filters)|]); }",
        "public void Run(string id, string? ownerId) { var filters = new List<FilterDefinition<Workspace>> { F.Eq(w => w.Id, id) }; if (ownerId != null) filters.Add(F.Eq(w => w.OwnerId, ownerId)); _workspaces.DeleteMany(F.And(filters)); }")]
    // A loop that may run zero times.
    [InlineData(
        "public void Run(List<string> ids) { var filters = new List<FilterDefinition<Workspace>>(); foreach (var id in ids) { filters.Add(F.Eq(w => w.Id, id)); } _workspaces.DeleteMany([|F.Or(filters)|]); }",
        "public void Run(List<string> ids, string ownerId) { var filters = new List<FilterDefinition<Workspace>> { F.Eq(w => w.OwnerId, ownerId) }; foreach (var id in ids) { filters.Add(F.Ne(w => w.Id, id)); } _workspaces.DeleteMany(F.And(filters)); }")]
    [InlineData(
        "public void Run(List<string> ids, bool all) { var filter = F.In(w => w.Id, ids); for (var i = 0; i < 3; i++) { if (all) filter = F.Empty; } _workspaces.DeleteMany([|filter|]); }",
        "public void Run(List<string> ids, bool all) { var filter = F.In(w => w.Id, ids); for (var i = 0; i < 3; i++) { if (all) filter = F.Eq(w => w.OwnerId, ids[i]); } _workspaces.DeleteMany(filter); }")]
    // try/finally around the conditional assignment.
    [InlineData(
        "public void Run(string? id) { var filter = F.Empty; try { if (id != null) filter = F.Eq(w => w.Id, id); } finally { Console.WriteLine(\"done\"); } _workspaces.DeleteMany([|filter|]); }",
        "public void Run(string id) { var filter = F.Empty; try { filter = F.Eq(w => w.Id, id); } finally { Console.WriteLine(\"done\"); } _workspaces.DeleteMany(filter); }")]
    // Inside a local function.
    [InlineData(
        "public void Run(string? id) { Purge(); void Purge() { var filter = F.Empty; if (id != null) filter &= F.Eq(w => w.Id, id); _workspaces.DeleteMany([|filter|]); } }",
        "public void Run(string id) { Purge(); void Purge() { var filter = F.Empty; filter &= F.Eq(w => w.Id, id); _workspaces.DeleteMany(filter); } }")]
    // A helper in the compilation that can return Empty.
    [InlineData(
        "private FilterDefinition<Workspace> ForOwner(string? ownerId) => ownerId == null ? F.Empty : F.Eq(w => w.OwnerId, ownerId); public void Run(string? ownerId) => _workspaces.DeleteMany([|ForOwner(ownerId)|]);",
        "private FilterDefinition<Workspace> ForOwner(string ownerId) => F.Eq(w => w.OwnerId, ownerId); public void Run(string ownerId) => _workspaces.DeleteMany(ForOwner(ownerId));")]
    [InlineData(
        "private static FilterDefinition<Workspace> Build(string? id) { var f = F.Empty; if (id != null) { f &= F.Eq(w => w.Id, id); } return f; } public void Run(string? id) => _workspaces.DeleteMany([|Build(id)|]);",
        "private static FilterDefinition<Workspace> Build(string? id) { if (id is null) { return F.Eq(w => w.Deleted, true); } return F.Eq(w => w.Id, id); } public void Run(string? id) => _workspaces.DeleteMany(Build(id));")]
    // A helper that is a local function.
    [InlineData(
        "public void Run(string? id) { FilterDefinition<Workspace> Build() => id is null ? F.Empty : F.Eq(w => w.Id, id); _workspaces.DeleteMany([|Build()|]); }",
        "public void Run(string id) { FilterDefinition<Workspace> Build() => F.Eq(w => w.Id, id); _workspaces.DeleteMany(Build()); }")]
    public async Task EmptyOnSomePath_Reports_AndTwin_NoDiagnostic(string positive, string negative)
    {
        await Verify.DiagnosticsAsync(Code(positive));
        await Verify.NoDiagnosticsAsync(Code(negative));
    }

    [Fact]
    public async Task FourAugust_MessageSaysWhichPathIsEmpty()
    {
        var test = Verify.Test(Code("""
                public async Task SoftDeleteLastMemberWorkspaces(string? lastMemberWorkspaceId)
                {
                    var filter = F.Empty;
                    if (lastMemberWorkspaceId != null)
                    {
                        filter &= F.Eq(w => w.Id, lastMemberWorkspaceId);
                    }

                    Console.WriteLine("soft-deleting");
                    await _workspaces.UpdateManyAsync({|#0:filter|}, SoftDelete);
                }
            """));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.WriteFilterEmptyOnSomePath).WithLocation(0)
            .WithMessage("UpdateMany on 'workspaces' matches every document when 'lastMemberWorkspaceId' is null"));
        await test.RunAsync();
    }

    [Theory]
    // What QueryGuard cannot see stays silent: parameters, fields, values assigned in lambdas or finally blocks.
    [InlineData("public void Run(FilterDefinition<Workspace> filter) => _workspaces.DeleteMany(filter);")]
    [InlineData("public void Run(FilterDefinition<Workspace> given) { var filter = given; _workspaces.DeleteMany(filter); }")]
    [InlineData("private FilterDefinition<Workspace> _filter = F.Empty; public void Run() => _workspaces.DeleteMany(_filter);")]
    [InlineData("public void Run(string id, Action<Action> later) { var filter = F.Empty; later(() => filter = F.Eq(w => w.Id, id)); _workspaces.DeleteMany(filter); }")]
    [InlineData("public void Run(string id) { var filter = F.Empty; try { } finally { filter = F.Eq(w => w.Id, id); } _workspaces.DeleteMany(filter); }")]
    [InlineData("public virtual FilterDefinition<Workspace> Scope() => F.Empty; public void Run() => _workspaces.DeleteMany(Scope());")]
    public async Task Unknowable_NoDiagnostic(string members) =>
        await new QueryGuardTest { Source = Code(members), ComparedRuleIds = new[] { RuleIdentifiers.WriteFilterEmptyOnSomePath, RuleIdentifiers.WriteMatchesEveryDocument } }.RunAsync();

    [Fact]
    public async Task OrAccumulatedFromEmpty_IsAlwaysEmpty_QG1001()
    {
        // {$or: [{}, ...]} matches every document on every path.
        var test = new QueryGuardTest
        {
            Source = Code("public void Run(List<string> ids) { var filter = F.Empty; foreach (var id in ids) { filter |= F.Eq(w => w.Id, id); } _workspaces.DeleteMany({|QG1001:filter|}); }"),
            ComparedRuleIds = new[] { RuleIdentifiers.WriteFilterEmptyOnSomePath, RuleIdentifiers.WriteMatchesEveryDocument },
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task AlwaysEmptyThroughALocal_IsQG1001NotQG1002()
    {
        var test = new QueryGuardTest
        {
            Source = Code("public void Run() { var filter = F.Empty; _workspaces.DeleteMany({|QG1001:filter|}); }"),
            ComparedRuleIds = new[] { RuleIdentifiers.WriteFilterEmptyOnSomePath, RuleIdentifiers.WriteMatchesEveryDocument },
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task ReadsAreNotWrites()
    {
        await Verify.NoDiagnosticsAsync(Code("public void Run(string? id) { var filter = F.Empty; if (id != null) filter &= F.Eq(w => w.Id, id); _workspaces.Find(filter).ToList(); }"));
    }
}
