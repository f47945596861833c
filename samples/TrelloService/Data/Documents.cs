namespace Trello.Data;

/// <summary>A workspace (team). Sharded on a hash of its _id.</summary>
public sealed class Workspace
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public List<string> MemberIds { get; set; } = new();
    public bool Deleted { get; set; }
    public DateTime? DeletedAt { get; set; }
}

/// <summary>A board belongs to one workspace; boards are sharded on their workspace.</summary>
public sealed class Board
{
    public string Id { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string Name { get; set; } = "";
    public bool Closed { get; set; }
}

/// <summary>Who may see a board or workspace: sharded on (idModel, _id).</summary>
public sealed class Membership
{
    public string Id { get; set; } = "";
    public string ModelId { get; set; } = "";
    public string MemberId { get; set; } = "";
    public string Role { get; set; } = "normal";
}
