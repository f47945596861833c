using MongoDB.Driver;
using Trello.Data;

namespace Trello.Services;

/// <summary>
/// The 30 Nov incident. Board access used to be checked with a membership lookup pinned to the board and its
/// workspace (idModel is the leading shard-key field of memberships). An authorization refactor loaded all of a
/// member's memberships and checked the models in memory: correct results, but every check became a broadcast
/// to every shard, and at the daily peak the database overloaded and the service was down for hours.
/// </summary>
public sealed class AuthorizationService
{
    private readonly TrelloDatabase _db;

    public AuthorizationService(TrelloDatabase db) => _db = db;

    // After the refactor (the incident): no condition on idModel, so mongos asks every shard on every check.
    public async Task<bool> CanSeeBoardAfterRefactorAsync(string memberId, Board board)
    {
        var memberships = await _db.Memberships.Find(m => m.MemberId == memberId).ToListAsync();
        return memberships.Any(m => m.ModelId == board.Id || m.ModelId == board.WorkspaceId);
    }

    // Before the refactor (safe): the lookup names the models it is about, so it reaches only their shards.
    public Task<bool> CanSeeBoardAsync(string memberId, Board board) =>
        _db.Memberships.Find(m => (m.ModelId == board.Id || m.ModelId == board.WorkspaceId) && m.MemberId == memberId).AnyAsync();
}
