namespace QueryGuard;

/// <summary>
/// Every QueryGuard rule ID, named by what it protects. An ID never changes and is never reused once shipped:
/// users reference these strings in .editorconfig files, pragmas and baselines.
/// </summary>
public static class RuleIdentifiers
{
    public const string Category = "QueryGuard";

    public const string InvalidConfiguration = "QG0001";
    public const string SuppressionWithoutReason = "QG0002";

    public const string WriteMatchesEveryDocument = "QG1001";
    public const string WriteFilterEmptyOnSomePath = "QG1002";
    public const string WriteFilterOnlyExcludes = "QG1003";
    public const string WriteComparesWithNull = "QG1004";
    public const string SingleWriteDoesNotIdentifyDocument = "QG1005";
    public const string WriteDoesNotPinScopeKey = "QG1006";

    public const string OperationOmitsShardKey = "QG2001";
    public const string ShardKeyConditionCannotTarget = "QG2002";
    public const string OrBranchOmitsShardKey = "QG2003";
    public const string UpsertWithoutFullShardKey = "QG2004";
    public const string MultiWriteSpansShards = "QG2005";

    /// <summary>Base of the rule pages; the test suite checks every descriptor's link and page.</summary>
    public const string DocsBaseUrl = "https://github.com/queryguard/queryguard/blob/main/docs/rules/";

    public static string GetHelpUri(string id) => DocsBaseUrl + id + ".md";
}
