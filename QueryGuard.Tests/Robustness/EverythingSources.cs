namespace QueryGuard.Tests.Robustness;

/// <summary>
/// Hand-written sources that put every filter form and entry point QueryGuard reads into one file, so a mutation
/// anywhere in them lands next to something the analyzer looks at: builders, lambdas, BsonDocument and JSON
/// filters, every write and read, bulk models, Aggregate/LINQ, filters built in steps and across branches, lists
/// of filters, helper methods, local functions and lambdas, attribute declarations, suppressions, null values.
/// </summary>
internal static class EverythingSources
{
    public const string Config = """
        {
          "minServerVersion": "7.0",
          "elementNameConvention": "camelCase",
          "collections": {
            "workspaces": { "documentType": "Everything.Workspace", "shardKey": { "workspaceId": "hashed" }, "scopeKey": "workspaceId" },
            "boards": { "documentType": "Everything.Board", "shardKey": { "idWorkspace": 1, "_id": 1 }, "uniqueKeys": [ ["idWorkspace", "name"] ] },
            "events": { "documentType": "Everything.Event", "shardKey": { "tenantId": 1, "createdAt": 1 } }
          },
          "elementNames": { "Everything.Board.WorkspaceId": "idWorkspace" }
        }
        """;

    public const string ShardKeyExport = """
        [
          { "_id": "app.boards", "key": { "idWorkspace": 1, "_id": 1 }, "unique": false },
          { "_id": "app.cards", "key": { "boardId": "hashed" } }
        ]
        """;

    public const string Attributes = """
        namespace QueryGuard
        {
            [System.AttributeUsage(System.AttributeTargets.Class | System.AttributeTargets.Struct)]
            internal sealed class ShardKeyAttribute : System.Attribute { public ShardKeyAttribute(params string[] fields) { } public bool Hashed { get; set; } }
            [System.AttributeUsage(System.AttributeTargets.Class | System.AttributeTargets.Struct)]
            internal sealed class ScopeKeyAttribute : System.Attribute { public ScopeKeyAttribute(string field) { } }
        }
        """;

    public const string Documents = """
        using System;
        using System.Collections.Generic;
        using MongoDB.Bson;
        using MongoDB.Bson.Serialization.Attributes;
        using QueryGuard;

        namespace Everything
        {
            public class Workspace { public string Id { get; set; } = ""; public string WorkspaceId { get; set; } = ""; public string Name { get; set; } = ""; public bool Deleted { get; set; } public int? Rank { get; set; } public List<string> Tags { get; set; } = new(); }
            public class Board { public string Id { get; set; } = ""; public string WorkspaceId { get; set; } = ""; public string Name { get; set; } = ""; public bool Closed { get; set; } public DateTime CreatedAt { get; set; } }
            public class Event { public string Id { get; set; } = ""; public string TenantId { get; set; } = ""; public DateTime CreatedAt { get; set; } public string Kind { get; set; } = ""; }

            [ShardKey("BoardId", Hashed = true), ScopeKey("TenantId")]
            public class Card { [BsonId] public string Key { get; set; } = ""; public string BoardId { get; set; } = ""; public string? TenantId { get; set; } public Owner Owner { get; set; } = new(); }

            [ShardKey("Owner.Id", "Missing"), ScopeKey("Nope")]
            public class Broken { public string Id { get; set; } = ""; public Owner Owner { get; set; } = new(); }

            public class Owner { public string Id { get; set; } = ""; public string? Name { get; set; } }
        }
        """;

    public const string Operations = """
        using System;
        using System.Collections.Generic;
        using System.Diagnostics.CodeAnalysis;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using MongoDB.Bson;
        using MongoDB.Driver;
        using MongoDB.Driver.Linq;

        namespace Everything
        {
            public sealed class Store
            {
                private const string CardsName = "cards";
                private readonly IMongoCollection<Workspace> _workspaces;
                private readonly IMongoCollection<Board> _boards;
                private readonly IMongoCollection<Card> _cards;
                private readonly IMongoCollection<BsonDocument> _raw;
                private string? _tenantId;

                public Store(IMongoDatabase db)
                {
                    _workspaces = db.GetCollection<Workspace>("workspaces");
                    _boards = db.GetCollection<Board>("boards");
                    _cards = db.GetCollection<Card>(CardsName);
                    _raw = db.GetCollection<BsonDocument>("raw");
                }

                private IMongoCollection<Event> Events => _boards.Database.GetCollection<Event>("events");

                private static FilterDefinition<Board> ForWorkspace(string workspaceId) => Builders<Board>.Filter.Eq(b => b.WorkspaceId, workspaceId);

                private static FilterDefinition<Board> MaybeForWorkspace(string? workspaceId)
                {
                    var f = Builders<Board>.Filter.Empty;
                    if (workspaceId != null)
                    {
                        f &= Builders<Board>.Filter.Eq(b => b.WorkspaceId, workspaceId);
                    }

                    return f;
                }

                public async Task Writes(IClientSessionHandle session, string id, string? maybeId, string workspaceId, List<string> ids, bool flag, DateTime now, CancellationToken ct)
                {
                    var W = Builders<Workspace>.Filter;
                    var B = Builders<Board>.Filter;
                    var update = Builders<Workspace>.Update.Set(w => w.Deleted, true);
                    var setName = Builders<Board>.Update.Set(b => b.Name, "x");

                    _workspaces.DeleteMany(W.Empty);
                    _workspaces.DeleteMany(FilterDefinition<Workspace>.Empty);
                    await _workspaces.DeleteManyAsync(session, W.Empty, cancellationToken: ct);
                    _workspaces.DeleteOne(w => true);
                    _workspaces.UpdateMany(w => !w.Deleted, update);
                    _workspaces.UpdateMany(W.Not(W.Eq(w => w.Id, id)), update);
                    _workspaces.UpdateOne(W.Eq(w => w.Id, maybeId), update);
                    _workspaces.UpdateOne(w => w.Id == maybeId, update);
                    _workspaces.UpdateMany(W.Ne(w => w.Name, "x") & W.Nin(w => w.Id, ids), update);
                    _workspaces.UpdateMany(W.Or(W.Empty, W.Eq(w => w.Id, id)), update);
                    _workspaces.UpdateMany(W.And(W.Eq(w => w.WorkspaceId, workspaceId), W.Eq(w => w.Name, "n")), update);
                    _workspaces.ReplaceOne(w => w.Name == "n", new Workspace(), new ReplaceOptions { IsUpsert = true });
                    _workspaces.UpdateOne(W.Eq(w => w.Name, "n"), update, new UpdateOptions { IsUpsert = flag });
                    _workspaces.FindOneAndUpdate(W.Empty, update);
                    _workspaces.FindOneAndDelete(w => w.Rank == null);
                    _workspaces.FindOneAndReplace(W.Eq(w => w.Id, id), new Workspace());
                    _workspaces.DeleteMany("{}");
                    _workspaces.DeleteMany("{ _id: 'a' }");
                    _workspaces.DeleteMany(new BsonDocument());
                    _workspaces.DeleteMany(new BsonDocument("_id", id));
                    _workspaces.DeleteMany(BsonDocument.Parse("{ }"));
                    _raw.DeleteMany(new BsonDocument { { "workspaceId", workspaceId }, { "x", new BsonDocument("$ne", 1) } });
                    _workspaces.UpdateMany(W.Where(w => w.Tags.Contains("a")) | W.Exists(w => w.Rank, false), update);
                    _workspaces.UpdateMany(W.In(w => w.Id, ids) & W.Gt(w => w.Rank, 1) & W.Lte(w => w.Rank, 9), update);
                    _workspaces.UpdateMany(w => w.Name.StartsWith("a") && ids.Contains(w.Id), update);
                    _boards.DeleteMany(ForWorkspace(workspaceId));
                    _boards.DeleteMany(MaybeForWorkspace(maybeId));
                    _boards.UpdateMany(B.Eq(b => b.WorkspaceId, workspaceId) | B.Eq(b => b.Name, "n"), setName);
                    _boards.UpdateMany(B.Gte(b => b.WorkspaceId, "a") & B.Lt(b => b.WorkspaceId, "m"), setName);
                    _cards.DeleteMany(c => c.TenantId == _tenantId);
                    _cards.DeleteOne(c => c.Owner.Name == null);
                    _cards.UpdateMany(c => c.BoardId == id, Builders<Card>.Update.Set(c => c.TenantId, "t"));
                    await Events.DeleteManyAsync(e => e.CreatedAt < now);

                    var filter = W.Empty;
                    if (flag)
                    {
                        filter &= W.Eq(w => w.Id, id);
                    }
                    else if (ids.Count > 0)
                    {
                        filter = filter & W.In(w => w.Id, ids);
                    }

                    _workspaces.UpdateMany(filter, update);

                    var filters = new List<FilterDefinition<Board>> { B.Eq(b => b.Name, "n") };
                    foreach (var i in ids)
                    {
                        filters.Add(B.Eq(b => b.Id, i));
                    }

                    if (maybeId is not null) filters.Add(B.Eq(b => b.WorkspaceId, maybeId));
                    _boards.DeleteMany(B.And(filters));
                    _boards.DeleteMany(B.Or(filters));

                    FilterDefinition<Workspace> Local(string x) => x.Length > 0 ? W.Eq(w => w.Id, x) : W.Empty;
                    _workspaces.DeleteMany(Local(id));

                    Func<string, Task> later = async x => await _workspaces.DeleteManyAsync(W.Eq(w => w.Name, x) | W.Empty);
                    await later(id);

                    switch (ids.Count)
                    {
                        case 0:
                            filter = W.Empty;
                            break;
                        default:
                            filter = W.In(w => w.Id, ids);
                            break;
                    }

                    try
                    {
                        _workspaces.DeleteMany(filter);
                    }
                    catch (MongoException)
                    {
                        filter = W.Empty;
                    }
                    finally
                    {
                        _workspaces.UpdateMany(filter, update);
                    }

                    var models = new List<WriteModel<Workspace>>
                    {
                        new DeleteManyModel<Workspace>(W.Empty),
                        new DeleteOneModel<Workspace>(W.Eq(w => w.Id, id)),
                        new UpdateManyModel<Workspace>(w => true, update),
                        new UpdateOneModel<Workspace>(W.Eq(w => w.Name, "n"), update) { IsUpsert = true },
                        new ReplaceOneModel<Workspace>(W.Eq(w => w.Id, maybeId), new Workspace()),
                        new InsertOneModel<Workspace>(new Workspace()),
                    };
                    await _workspaces.BulkWriteAsync(models);
                    _boards.BulkWrite(new WriteModel<Board>[] { new DeleteManyModel<Board>(B.Eq(b => b.Name, "n")) });

        #pragma warning disable QG1001
                    _workspaces.DeleteMany(W.Empty);
        #pragma warning restore QG1001
        #pragma warning disable QG1001 // the nightly purge
                    _workspaces.DeleteMany(W.Empty);
        #pragma warning restore QG1001
                }

                [SuppressMessage("QueryGuard", "QG2001:Operation omits the shard key")]
                [SuppressMessage("QueryGuard", "QG1001", Justification = "<Pending>")]
                public async Task<long> Reads(string id, string workspaceId, string? name, DateTime from)
                {
                    var B = Builders<Board>.Filter;
                    var found = _boards.Find(B.Eq(b => b.Name, name)).ToList();
                    var one = await _boards.Find(b => b.WorkspaceId == workspaceId && b.Id == id).FirstOrDefaultAsync();
                    var cursor = await _boards.FindAsync(B.Empty);
                    var sync = _boards.FindSync(b => b.Closed);
                    var count = _boards.CountDocuments(B.Eq(b => b.WorkspaceId, workspaceId) & B.Gt(b => b.CreatedAt, from));
                    var distinct = _boards.Distinct(b => b.Name, B.Empty).ToList();
                    var agg = _boards.Aggregate().Match(b => b.Name == name).SortBy(b => b.Name).ToList();
                    var agg2 = _boards.Aggregate().Match(B.Eq(b => b.WorkspaceId, workspaceId)).ToList();
                    var linq = _boards.AsQueryable().Where(b => b.Closed).OrderBy(b => b.Name).ToList();
                    var any = _boards.AsQueryable().Any(b => b.WorkspaceId == workspaceId);
                    var first = _boards.AsQueryable().First(b => b.Name == name);
                    var evs = Events.Find(e => e.TenantId == id && e.CreatedAt > from).ToList();
                    var cards = _cards.Find(c => c.Owner.Id == id).ToList();
                    var raw = _raw.Find(new BsonDocument("$or", new BsonArray { new BsonDocument("a", 1), new BsonDocument() })).ToList();
                    var json = _boards.Find("{ idWorkspace: { $in: ['a', 'b'] } }").ToList();
                    return count + found.Count + (one is null ? 0 : 1) + linq.Count + evs.Count + cards.Count + raw.Count + json.Count + distinct.Count + agg.Count + agg2.Count + (any ? 1 : 0) + first.Name.Length + (cursor is null ? 0 : 1) + (sync is null ? 0 : 1);
                }
            }
        }
        """;

    /// <summary>One document with many findings of every fixable rule, for Fix All.</summary>
    public static string ManyFindings(int count)
    {
        var body = new System.Text.StringBuilder();
        for (var i = 0; i < count; i++)
        {
            body.Append($"            _workspaces.DeleteMany(Builders<Workspace>.Filter.Empty);\n");
            body.Append($"            _workspaces.UpdateMany(w => true, update);\n");
            body.Append($"            _workspaces.DeleteOne(w => w.Name == maybeName);\n");
            body.Append($"            _workspaces.DeleteOne(Builders<Workspace>.Filter.Eq(w => w.Name, name{i % 3}));\n");
        }

        return """
            using System;
            using MongoDB.Driver;

            namespace Everything
            {
                public sealed class ManyFindings
                {
                    private readonly IMongoCollection<Workspace> _workspaces;

                    public ManyFindings(IMongoDatabase db) => _workspaces = db.GetCollection<Workspace>("workspaces");

                    public void Run(string id, string? maybeName, string name0, string name1, string name2, UpdateDefinition<Workspace> update)
                    {
            """ + "\n" + body + """
                    }
                }
            }
            """;
    }
}
