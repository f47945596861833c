using MongoDB.Driver;
using Trello.Data;

namespace Trello.Services;

/// <summary>
/// The 4 Aug incident. When a member deleted their account, workspaces they were the last member of were
/// soft-deleted. The filter was only given its workspace condition inside an <c>if</c>; on the race path where
/// the lookup found nothing, the filter stayed empty and 39% of all workspaces were marked deleted.
/// </summary>
public sealed class WorkspaceDeletion
{
    private readonly TrelloDatabase _db;

    public WorkspaceDeletion(TrelloDatabase db) => _db = db;

    // The incident: the filter is empty when no last-member workspace was found.
    public async Task SoftDeleteLastMemberWorkspacesUnsafeAsync(string memberId, string? lastMemberWorkspaceId)
    {
        var filter = Builders<Workspace>.Filter.Empty;
        if (lastMemberWorkspaceId != null)
        {
            filter &= Builders<Workspace>.Filter.Eq(w => w.Id, lastMemberWorkspaceId);
        }

        await _db.Workspaces.UpdateManyAsync(filter, Builders<Workspace>.Update.Set(w => w.Deleted, true).Set(w => w.DeletedAt, DateTime.UtcNow));
    }

    // Safe: nothing to delete means no write at all, and the write names exactly one workspace.
    public async Task SoftDeleteLastMemberWorkspaceAsync(string memberId, string? lastMemberWorkspaceId)
    {
        if (lastMemberWorkspaceId is null)
        {
            return;
        }

        await _db.Workspaces.UpdateOneAsync(
            w => w.Id == lastMemberWorkspaceId && w.MemberIds.Count == 1,
            Builders<Workspace>.Update.Set(w => w.Deleted, true).Set(w => w.DeletedAt, DateTime.UtcNow));
    }

    // A maintenance job that really means every document gets a reason, not silence.
    public Task PurgeClosedBoardsAsync(string workspaceId) =>
        _db.Boards.DeleteManyAsync(b => b.WorkspaceId == workspaceId && b.Closed);

    public Task ResetAllBoardsUnsafeAsync() =>
        _db.Boards.UpdateManyAsync(Builders<Board>.Filter.Empty, Builders<Board>.Update.Set(b => b.Closed, false));
}
