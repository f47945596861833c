using MongoDB.Driver;

namespace Trello.Data;

public sealed class TrelloDatabase
{
    public TrelloDatabase(IMongoDatabase database)
    {
        Workspaces = database.GetCollection<Workspace>("workspaces");
        Boards = database.GetCollection<Board>("boards");
        Memberships = database.GetCollection<Membership>("memberships");
    }

    public IMongoCollection<Workspace> Workspaces { get; }

    public IMongoCollection<Board> Boards { get; }

    public IMongoCollection<Membership> Memberships { get; }
}
