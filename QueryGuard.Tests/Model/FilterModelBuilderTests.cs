using QueryGuard.Driver;
using QueryGuard.Model;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.Model;

/// <summary>
/// The filter model for every filter form of RULES.md, modelled from real driver calls. Expected models follow the
/// verified renderings in reference/mongo-targeting.md §4.1 (paths without a naming convention unless stated).
/// </summary>
public class FilterModelBuilderTests
{
    [Theory]
    // Empty in all its spellings renders {}.
    [InlineData("coll.DeleteMany(F.Empty);", "Empty")]
    [InlineData("coll.DeleteMany(Builders<Workspace>.Filter.Empty);", "Empty")]
    [InlineData("coll.DeleteMany(FilterDefinition<Workspace>.Empty);", "Empty")]
    [InlineData("coll.DeleteMany(F.Where(_ => true));", "Empty")]
    [InlineData("coll.DeleteMany(F.And(F.Empty, F.Empty));", "Empty")]
    [InlineData("coll.DeleteMany(F.Empty & F.Empty);", "Empty")]
    // Field operators.
    [InlineData("coll.DeleteMany(F.Eq(x => x.WorkspaceId, id));", "Eq(WorkspaceId)")]
    [InlineData("coll.DeleteMany(F.Eq(\"WorkspaceId\", id));", "Eq(WorkspaceId)")]
    [InlineData("coll.DeleteMany(F.Eq(\"unmapped\", id));", "Eq(unmapped)")]
    [InlineData("coll.DeleteMany(F.Ne(x => x.Name, id));", "Neg(Name $ne)")]
    [InlineData("coll.DeleteMany(F.In(x => x.WorkspaceId, ids));", "In(WorkspaceId, Unknown)")]
    [InlineData("coll.DeleteMany(F.In(x => x.WorkspaceId, new[] { \"a\", \"b\" }));", "In(WorkspaceId, Several)")]
    [InlineData("coll.DeleteMany(F.In(x => x.WorkspaceId, new[] { \"a\" }));", "In(WorkspaceId, One)")]
    [InlineData("coll.DeleteMany(F.In(x => x.WorkspaceId, new List<string>()));", "Nothing")]
    [InlineData("coll.DeleteMany(F.In(x => x.WorkspaceId, Array.Empty<string>()));", "Nothing")]
    [InlineData("coll.DeleteMany(F.Nin(x => x.Id, ids));", "Neg(_id $nin, Unknown)")]
    [InlineData("coll.DeleteMany(F.Nin(x => x.Id, new string[0]));", "Neg(_id $nin, Empty)")]
    [InlineData("coll.DeleteMany(F.Gt(x => x.Size, 1));", "Range(Size $gt)")]
    [InlineData("coll.DeleteMany(F.Lte(x => x.CreatedAt, now));", "Range(CreatedAt $lte)")]
    [InlineData("coll.DeleteMany(F.Exists(x => x.Name));", "Exists(Name, true)")]
    [InlineData("coll.DeleteMany(F.Exists(x => x.Name, false));", "Exists(Name, false)")]
    [InlineData("coll.DeleteMany(F.Regex(x => x.Name, \"^abc\"));", "Regex(Name, anchored)")]
    [InlineData("coll.DeleteMany(F.Regex(x => x.Name, \"abc\"));", "Regex(Name)")]
    [InlineData("coll.DeleteMany(F.Regex(x => x.Name, new BsonRegularExpression(\"^abc\", \"i\")));", "Regex(Name, anchored)")]
    [InlineData("coll.DeleteMany(F.Text(\"foo\"));", "Text")]
    [InlineData("coll.DeleteMany(F.Type(x => x.Name, \"string\"));", "Type(Name)")]
    [InlineData("coll.DeleteMany(F.OfType<Workspace>());", "Type(_t)")]
    [InlineData("coll.DeleteMany(F.ElemMatch(x => x.Tags, t => t == \"a\"));", "Field(Tags ElemMatch)")]
    [InlineData("coll.DeleteMany(F.Size(x => x.Tags, 0));", "Field(Tags Size)")]
    // Logical builders and operators: And drops Empty, Or keeps it (and so matches everything), Not folds.
    [InlineData("coll.DeleteMany(F.Empty & F.Eq(x => x.WorkspaceId, id));", "Eq(WorkspaceId)")]
    [InlineData("coll.DeleteMany(F.Eq(x => x.WorkspaceId, id) & F.Empty);", "Eq(WorkspaceId)")]
    [InlineData("coll.DeleteMany(F.And(F.Eq(x => x.WorkspaceId, id), F.Eq(x => x.Id, id)));", "And(Eq(WorkspaceId), Eq(_id))")]
    [InlineData("coll.DeleteMany(F.Eq(x => x.WorkspaceId, id) & F.Eq(x => x.Id, id) & F.Gt(x => x.Size, 2));", "And(Eq(WorkspaceId), Eq(_id), Range(Size $gt))")]
    [InlineData("coll.DeleteMany(F.Or(F.Empty, F.Eq(x => x.WorkspaceId, id)));", "Empty")]
    [InlineData("coll.DeleteMany(F.Or(F.Eq(x => x.WorkspaceId, id), F.Exists(x => x.Name)));", "Or(Eq(WorkspaceId), Exists(Name, true))")]
    [InlineData("coll.DeleteMany(F.Eq(x => x.WorkspaceId, id) | F.Eq(x => x.WorkspaceId, \"b\"));", "Or(Eq(WorkspaceId), Eq(WorkspaceId))")]
    [InlineData("coll.DeleteMany(F.Not(F.Empty));", "Nothing")]
    [InlineData("coll.DeleteMany(F.Not(F.Eq(x => x.Name, id)));", "Neg(Name $ne)")]
    [InlineData("coll.DeleteMany(!F.Eq(x => x.Name, id));", "Neg(Name $ne)")]
    [InlineData("coll.DeleteMany(!F.Ne(x => x.WorkspaceId, id));", "Eq(WorkspaceId)")]
    [InlineData("coll.DeleteMany(!F.In(x => x.WorkspaceId, ids));", "Neg(WorkspaceId $nin, Unknown)")]
    [InlineData("coll.DeleteMany(!F.Nin(x => x.WorkspaceId, ids));", "In(WorkspaceId, Unknown)")]
    [InlineData("coll.DeleteMany(!F.Exists(x => x.Name));", "Exists(Name, false)")]
    [InlineData("coll.DeleteMany(!F.Gt(x => x.Size, 3));", "Neg(Size $not)")]
    [InlineData("coll.DeleteMany(F.Not(F.And(F.Eq(x => x.Name, id), F.Eq(x => x.Size, 1))));", "Not(And(Eq(Name), Eq(Size)))")]
    [InlineData("coll.DeleteMany(F.And());", "Nothing")]
    [InlineData("coll.DeleteMany(F.And(new List<FilterDefinition<Workspace>> { F.Eq(x => x.Id, id) }));", "Eq(_id)")]
    public async Task Builders(string body, string expected) =>
        Assert.Equal(expected, await ModelHarness.RenderAsync(body));

    [Theory]
    [InlineData("coll.DeleteMany(x => true);", "Empty")]
    [InlineData("coll.DeleteMany(_ => true);", "Empty")]
    [InlineData("coll.DeleteMany(x => false);", "Nothing")]
    [InlineData("coll.DeleteMany(x => x.WorkspaceId == id);", "Eq(WorkspaceId)")]
    [InlineData("coll.DeleteMany(x => id == x.WorkspaceId);", "Eq(WorkspaceId)")]
    [InlineData("coll.DeleteMany(x => x.WorkspaceId != id);", "Neg(WorkspaceId $ne)")]
    [InlineData("coll.DeleteMany(x => !(x.WorkspaceId == id));", "Neg(WorkspaceId $ne)")]
    [InlineData("coll.DeleteMany(x => x.WorkspaceId == id && x.Size > 3);", "And(Eq(WorkspaceId), Range(Size $gt))")]
    [InlineData("coll.DeleteMany(x => 3 < x.Size);", "Range(Size $gt)")]
    [InlineData("coll.DeleteMany(x => x.CreatedAt <= now);", "Range(CreatedAt $lte)")]
    [InlineData("coll.DeleteMany(x => x.WorkspaceId == id || x.Size > 1);", "Or(Eq(WorkspaceId), Range(Size $gt))")]
    [InlineData("coll.DeleteMany(x => x.Deleted);", "Eq(Deleted)")]
    [InlineData("coll.DeleteMany(x => !x.Deleted);", "Neg(Deleted $ne)")]
    [InlineData("coll.DeleteMany(x => x.Deleted == false);", "Eq(Deleted)")]
    [InlineData("coll.DeleteMany(x => ids.Contains(x.WorkspaceId));", "In(WorkspaceId, Unknown)")]
    [InlineData("coll.DeleteMany(x => new List<string>().Contains(x.WorkspaceId));", "Nothing")]
    [InlineData("coll.DeleteMany(x => !ids.Contains(x.Id));", "Neg(_id $nin, Unknown)")]
    [InlineData("coll.DeleteMany(x => x.Tags.Contains(id));", "Field(Tags $elemMatch)")]
    [InlineData("coll.DeleteMany(x => x.Name.StartsWith(\"ab\"));", "Regex(Name, anchored)")]
    [InlineData("coll.DeleteMany(x => x.Name.Contains(\"ab\"));", "Regex(Name)")]
    [InlineData("coll.DeleteMany(x => x.Owner.Id == id);", "Eq(Owner._id)")]
    [InlineData("coll.DeleteMany(x => x.Rank == 3);", "Eq(Rank)")]
    [InlineData("coll.DeleteMany(x => x.Rank.Value > 3);", "Range(Rank $gt)")]
    [InlineData("coll.DeleteMany(x => x.TenantId == id);", "Eq(tid)")]
    [InlineData("coll.DeleteMany(x => x.Name == null);", "Eq(Name)")]
    [InlineData("coll.DeleteMany(x => x.Name.Length > 3);", "Unknown")]
    [InlineData("coll.DeleteMany(x => x.Name == x.WorkspaceId);", "Unknown")]
    // Client-side sub-expressions are folded by the driver before the query is sent (reference §3.4).
    [InlineData("coll.DeleteMany(x => maybeId == null || x.WorkspaceId == maybeId);", "Or(Client('maybeId' is null), Eq(WorkspaceId))")]
    [InlineData("coll.DeleteMany(x => flag || x.WorkspaceId == id);", "Or(Client('flag' is true), Eq(WorkspaceId))")]
    [InlineData("coll.DeleteMany(x => flag && x.WorkspaceId == id);", "And(Client('flag' is true), Eq(WorkspaceId))")]
    [InlineData("coll.DeleteMany(x => true && x.WorkspaceId == id);", "Eq(WorkspaceId)")]
    // A null test the compiler proves false folds away like a constant.
    [InlineData("if (maybeId is null) return; coll.DeleteMany(x => maybeId == null || x.WorkspaceId == maybeId);", "Eq(WorkspaceId)")]
    [InlineData("coll.DeleteMany(x => id != null && x.WorkspaceId == id);", "Eq(WorkspaceId)")]
    [InlineData("coll.DeleteMany(x => false || x.WorkspaceId == id);", "Eq(WorkspaceId)")]
    [InlineData("coll.DeleteMany(F.Where(x => x.WorkspaceId == id));", "Eq(WorkspaceId)")]
    [InlineData("coll.DeleteMany(new ExpressionFilterDefinition<Workspace>(x => x.Id == id));", "Eq(_id)")]
    public async Task Lambdas(string body, string expected) =>
        Assert.Equal(expected, await ModelHarness.RenderAsync(body));

    [Theory]
    [InlineData("coll.DeleteMany(\"{}\");", "Empty")]
    [InlineData("coll.DeleteMany(\"{ }\");", "Empty")]
    [InlineData("coll.DeleteMany(\"{ workspaceId: 'a' }\");", "Eq(workspaceId)")]
    [InlineData("coll.DeleteMany(\"{ \\\"workspaceId\\\": \\\"a\\\" }\");", "Eq(workspaceId)")]
    [InlineData("coll.DeleteMany(\"{ WorkspaceId: { $eq: 'a' } }\");", "Eq(WorkspaceId)")]
    [InlineData("coll.DeleteMany(\"{ status: { $ne: 'active' } }\");", "Neg(status $ne)")]
    [InlineData("coll.DeleteMany(\"{ _id: { $in: [1, 2] } }\");", "In(_id, Several)")]
    [InlineData("coll.DeleteMany(\"{ _id: { $in: [] } }\");", "Nothing")]
    [InlineData("coll.DeleteMany(\"{ _id: { $nin: [] } }\");", "Neg(_id $nin, Empty)")]
    [InlineData("coll.DeleteMany(\"{ size: { $gt: 1, $lt: 5 } }\");", "And(Range(size $gt), Range(size $lt))")]
    [InlineData("coll.DeleteMany(\"{ legacy: { $exists: false } }\");", "Exists(legacy, false)")]
    [InlineData("coll.DeleteMany(\"{ name: /^ab/i }\");", "Regex(name, anchored)")]
    [InlineData("coll.DeleteMany(\"{ name: { $regex: 'ab' } }\");", "Regex(name)")]
    [InlineData("coll.DeleteMany(\"{ $or: [ { a: 1 }, {} ] }\");", "Empty")]
    [InlineData("coll.DeleteMany(\"{ $or: [ { a: 1 }, { b: 2 } ] }\");", "Or(Eq(a), Eq(b))")]
    [InlineData("coll.DeleteMany(\"{ $and: [ { a: 1 }, { b: { $ne: 2 } } ] }\");", "And(Eq(a), Neg(b $ne))")]
    [InlineData("coll.DeleteMany(\"{ $nor: [ { a: 1 } ] }\");", "Neg(a $ne)")]
    [InlineData("coll.DeleteMany(\"{ $text: { $search: 'x' } }\");", "Text")]
    [InlineData("coll.DeleteMany(\"{ a: { $not: { $gt: 5 } } }\");", "Neg(a $not)")]
    [InlineData("coll.DeleteMany(\"{ _id: ObjectId('507f1f77bcf86cd799439011') }\");", "Eq(_id)")]
    [InlineData("coll.DeleteMany(\"{ $where: 'this.a > 1' }\");", "Unknown")]
    [InlineData("coll.DeleteMany(\"{ broken\");", "Unknown")]
    [InlineData("coll.DeleteMany(new JsonFilterDefinition<Workspace>(\"{}\"));", "Empty")]
    public async Task JsonStrings(string body, string expected) =>
        Assert.Equal(expected, await ModelHarness.RenderAsync(body));

    [Theory]
    [InlineData("coll.DeleteMany(new BsonDocument());", "Empty")]
    [InlineData("coll.DeleteMany(new BsonDocument(\"workspaceId\", id));", "Eq(workspaceId)")]
    [InlineData("coll.DeleteMany(new BsonDocument { { \"workspaceId\", id }, { \"size\", 3 } });", "And(Eq(workspaceId), Eq(size))")]
    [InlineData("coll.DeleteMany(new BsonDocument { [\"workspaceId\"] = id });", "Eq(workspaceId)")]
    [InlineData("coll.DeleteMany(new BsonDocument(\"status\", new BsonDocument(\"$ne\", \"active\")));", "Neg(status $ne)")]
    [InlineData("coll.DeleteMany(new BsonDocument(\"_id\", new BsonDocument(\"$in\", new BsonArray(ids))));", "In(_id, Unknown)")]
    [InlineData("coll.DeleteMany(new BsonDocument(\"_id\", new BsonDocument(\"$in\", new BsonArray())));", "Nothing")]
    [InlineData("coll.DeleteMany(new BsonDocument(new BsonElement(\"workspaceId\", id)));", "Eq(workspaceId)")]
    [InlineData("coll.DeleteMany(BsonDocument.Parse(\"{}\"));", "Empty")]
    [InlineData("coll.DeleteMany(new BsonDocumentFilterDefinition<Workspace>(new BsonDocument(\"a\", 1)));", "Eq(a)")]
    [InlineData("coll.DeleteMany(new BsonDocument(new Dictionary<string, object>()));", "Unknown")]
    [InlineData("raw.DeleteMany(Builders<BsonDocument>.Filter.Eq(\"WorkspaceId\", id));", "Eq(WorkspaceId)")]
    public async Task BsonDocuments(string body, string expected) =>
        Assert.Equal(expected, await ModelHarness.RenderAsync(body));

    [Theory]
    // Values QueryGuard cannot see are unknown, never guessed.
    [InlineData("FilterDefinition<Workspace> f = F.Empty; coll.DeleteMany(f);", "Unknown")]
    [InlineData("System.Linq.Expressions.Expression<Func<Workspace, bool>> e = x => true; coll.DeleteMany(e);", "Unknown")]
    [InlineData("var json = id; coll.DeleteMany(json);", "Unknown")]
    [InlineData("coll.DeleteMany(F.And(Enumerable.Empty<FilterDefinition<Workspace>>().ToList()));", "Unknown")]
    // Choices by code path.
    [InlineData("coll.DeleteMany(flag ? F.Empty : F.Eq(x => x.Id, id));", "Choice(Empty, Eq(_id))")]
    [InlineData("coll.DeleteMany(flag ? F.Eq(x => x.Id, id) : F.Eq(x => x.Id, id));", "Eq(_id)")]
    public async Task ReferencesAndChoices(string body, string expected) =>
        Assert.Equal(expected, await ModelHarness.RenderAsync(body));

    [Fact]
    public async Task ValueNullness_FollowsTheCompilersFlowState()
    {
        var maybe = (EqFilter)await ModelHarness.ModelAsync("coll.DeleteMany(x => x.WorkspaceId == maybeId);");
        var guarded = (EqFilter)await ModelHarness.ModelAsync("if (maybeId is null) return; coll.DeleteMany(x => x.WorkspaceId == maybeId);");
        var literal = (EqFilter)await ModelHarness.ModelAsync("coll.DeleteMany(F.Eq(x => x.WorkspaceId, (string?)null));");
        var builder = (EqFilter)await ModelHarness.ModelAsync("coll.DeleteMany(F.Eq(x => x.WorkspaceId, maybeId));");

        Assert.Equal(Nullness.MaybeNull, maybe.Value.Nullness);
        Assert.Equal("maybeId", maybe.Value.Text);
        Assert.Equal(Nullness.NotNull, guarded.Value.Nullness);
        Assert.Equal(Nullness.Null, literal.Value.Nullness);
        Assert.Equal(Nullness.MaybeNull, builder.Value.Nullness);
    }

    [Theory]
    // camelCase lowers only the first character; [BsonElement] wins over the convention; the id member is always _id.
    [InlineData("coll.DeleteMany(x => x.WorkspaceId == id);", "Eq(workspaceId)")]
    [InlineData("coll.DeleteMany(F.Eq(\"WorkspaceId\", id));", "Eq(workspaceId)")]
    [InlineData("coll.DeleteMany(F.Eq(\"workspaceId\", id));", "Eq(workspaceId)")]
    [InlineData("coll.DeleteMany(F.Eq(\"TenantId\", id));", "Eq(tid)")]
    [InlineData("coll.DeleteMany(x => x.TenantId == id);", "Eq(tid)")]
    [InlineData("coll.DeleteMany(x => x.Id == id);", "Eq(_id)")]
    [InlineData("coll.DeleteMany(x => x.Owner.Name == id);", "Eq(owner.name)")]
    [InlineData("coll.DeleteMany(F.Eq(\"Owner.Id\", id));", "Eq(owner._id)")]
    [InlineData("memberships.DeleteMany(x => x.Key == id);", "Eq(_id)")]
    [InlineData("memberships.DeleteMany(x => x.Id == id);", "Eq(id)")]
    [InlineData("raw.DeleteMany(Builders<BsonDocument>.Filter.Eq(\"WorkspaceId\", id));", "Eq(WorkspaceId)")]
    public async Task ElementNames_CamelCase(string body, string expected) =>
        Assert.Equal(expected, await ModelHarness.RenderAsync(body, new NamingOptions(ElementNameConvention.CamelCase, new Dictionary<string, string>())));

    [Fact]
    public async Task ElementNames_ConfiguredOverrideBeatsAttributeAndConvention()
    {
        var naming = new NamingOptions(ElementNameConvention.CamelCase, new Dictionary<string, string>
        {
            ["Workspace.WorkspaceId"] = "idWorkspace",
            ["Workspace.TenantId"] = "tenant",
        });

        Assert.Equal("And(Eq(idWorkspace), Eq(tenant))", await ModelHarness.RenderAsync("coll.DeleteMany(x => x.WorkspaceId == id && x.TenantId == id);", naming));
        Assert.Equal("Eq(name)", await ModelHarness.RenderAsync("coll.DeleteMany(x => x.Name == id);", naming));
    }

    [Theory]
    [InlineData(DriverVersion.V3)]
    [InlineData(DriverVersion.V2)]
    public async Task EveryWriteEntryPoint_ModelsItsFilter(DriverVersion driver)
    {
        // The filter is found by parameter name on each entry point, whatever its position.
        string[] calls =
        {
            "coll.DeleteOne(x => x.Id == id);",
            "coll.DeleteManyAsync(F.Eq(x => x.Id, id));",
            "coll.UpdateOne(x => x.Id == id, Builders<Workspace>.Update.Set(x => x.Name, id));",
            "coll.UpdateManyAsync(F.Eq(x => x.Id, id), Builders<Workspace>.Update.Set(x => x.Name, id), new UpdateOptions { IsUpsert = true });",
            "coll.ReplaceOne(x => x.Id == id, new Workspace());",
            "coll.FindOneAndUpdate(x => x.Id == id, Builders<Workspace>.Update.Set(x => x.Name, id));",
            "coll.FindOneAndReplaceAsync(x => x.Id == id, new Workspace());",
            "coll.FindOneAndDelete(F.Eq(x => x.Id, id));",
            "coll.Find(x => x.Id == id);",
            "coll.FindSync(F.Eq(x => x.Id, id));",
            "coll.CountDocuments(x => x.Id == id);",
            "coll.Distinct(x => x.Name, x => x.Id == id);",
            "coll.BulkWrite(new WriteModel<Workspace>[] { new DeleteManyModel<Workspace>(F.Eq(x => x.Id, id)) });",
            "coll.Aggregate().Match(x => x.Id == id);",
            "coll.AsQueryable().Where(x => x.Id == id);",
        };

        foreach (var call in calls)
        {
            Assert.Equal("Eq(_id)", await ModelHarness.RenderAsync(call, driver: driver));
        }
    }
}
