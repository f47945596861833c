namespace QueryGuard.Tests.Rules;

/// <summary>
/// A small Trello-like model used by the sharding-rule tests. <c>workspaces</c> is sharded on a hashed
/// <c>workspaceId</c> which is also its scope key; <c>boards</c> on a ranged <c>idWorkspace</c>; <c>memberships</c> on the
/// compound <c>{ idModel: 1, _id: 1 }</c>; <c>events</c> (declared by type only) on <c>{ tenantId: 1, createdAt: 1 }</c>;
/// <c>sessions</c> is declared without a shard key. camelCase names, with two overrides.
/// </summary>
internal static class ShardingScenario
{
    public const string Config = """
        {
          "minServerVersion": "7.0",
          "elementNameConvention": "camelCase",
          "collections": {
            "workspaces": { "documentType": "Trello.Workspace", "shardKey": { "workspaceId": "hashed" }, "scopeKey": "workspaceId" },
            "boards": { "documentType": "Trello.Board", "shardKey": { "idWorkspace": 1 } },
            "memberships": { "documentType": "Trello.Membership", "shardKey": { "idModel": 1, "_id": 1 } },
            "events": { "documentType": "Trello.Event", "shardKey": { "tenantId": 1, "createdAt": 1 } },
            "sessions": { "documentType": "Trello.Session" }
          },
          "elementNames": { "Trello.Board.WorkspaceId": "idWorkspace", "Trello.Membership.ModelId": "idModel" }
        }
        """;

    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using MongoDB.Bson;
        using MongoDB.Driver;
        using MongoDB.Driver.Linq;

        namespace Trello
        {
            public class Workspace { public string Id { get; set; } = ""; public string WorkspaceId { get; set; } = ""; public string Name { get; set; } = ""; public bool Deleted { get; set; } }
            public class Board { public string Id { get; set; } = ""; public string WorkspaceId { get; set; } = ""; public string Name { get; set; } = ""; public bool Closed { get; set; } public DateTime CreatedAt { get; set; } public List<string> Labels { get; set; } = new(); }
            public class Membership { public string Id { get; set; } = ""; public string ModelId { get; set; } = ""; public string MemberId { get; set; } = ""; }
            public class Event { public string Id { get; set; } = ""; public string TenantId { get; set; } = ""; public DateTime CreatedAt { get; set; } public string Kind { get; set; } = ""; }
            public class Session { public string Id { get; set; } = ""; public string UserId { get; set; } = ""; }

            public class Repository
            {
                private readonly IMongoCollection<Workspace> _workspaces;
                private readonly IMongoCollection<Board> _boards;
                private readonly IMongoCollection<Membership> _memberships;
                private readonly IMongoCollection<Session> _sessions;

                public Repository(IMongoDatabase db)
                {
                    _workspaces = db.GetCollection<Workspace>("workspaces");
                    _boards = db.GetCollection<Board>("boards");
                    _memberships = db.GetCollection<Membership>("memberships");
                    _sessions = db.GetCollection<Session>("sessions");
                }

                private IMongoCollection<Event> Events(IMongoDatabase db) => db.GetCollection<Event>("events");

                public async Task Run(IMongoDatabase db, IMongoClient client, IClientSessionHandle session, string id, string workspaceId, string otherWorkspaceId,
                    string name, List<string> ids, DateTime from, FilterDefinition<Board> external)
                {
                    var B = Builders<Board>.Filter;
                    var W = Builders<Workspace>.Filter;
                    var M = Builders<Membership>.Filter;
                    var setName = Builders<Board>.Update.Set(x => x.Name, name);
                    var setWorkspaceName = Builders<Workspace>.Update.Set(x => x.Name, name);
                    var setMemberId = Builders<Membership>.Update.Set(x => x.MemberId, name);
        """;

    private const string Epilogue = """

                    await Task.CompletedTask;
                }
            }
        }
        """;

    /// <summary>The scenario with <paramref name="statements"/> in the body of <c>Repository.Run</c>.</summary>
    public static string Code(string statements) => Prelude + "\n" + statements + Epilogue;
}
