using MongoDB.Driver;
using Trello.Data;

namespace Trello.Services;

/// <summary>
/// The 30 Nov incident. Board access used to be checked with a membership lookup pinned to the board
/// (idModel is the leading shard-key field). An authorization refactor looked memberships up by member only:
/// correct results, but every check became a broadcast to every shard, and at the daily peak the database
/// overloaded and the service was down for hours.
/// </summary>
public sealed class AuthorizationService
{
    private readonly TrelloDatabase _db;

    public AuthorizationService(TrelloDatabase db) => _db = db;

    // After the refactor (the incident): no shard-key condition, so mongos asks every shard.
    public Task<bool> CanSeeBoardAfterRefactorAsync(string memberId, Board board) =>
        _db.Memberships.Find(m => m.MemberId == memberId && (m.ModelId == board.Id || m.ModelId == board.WorkspaceId)).AnyAsync();

    // Before the refactor (safe): the lookup names the model it is about, so it reaches one shard per model.
    public Task<bool> CanSeeBoardAsync(string memberId, Board board) =>
        _db.Memberships.Find(m => (m.ModelId == board.Id || m.ModelId == board.WorkspaceId) && m.MemberId == memberId).AnyAsync();
}
