using System.Globalization;
using System.Text;
using static QueryGuard.Tests.Baseline.BaselineTestSource;

namespace QueryGuard.Tests.Baseline;

/// <summary>
/// What a finding's fingerprint survives (docs/baseline.md): line moves, reformatting, comments, edits elsewhere in
/// the file, moving the member to another file; and what changes it: the filter, the member, the rule.
/// </summary>
public sealed class FingerprintTests
{
    [Fact]
    public async Task EveryFinding_CarriesAFingerprintAndItsMember_NextToItsOtherProperties()
    {
        var findings = await FindingsAsync(Original);

        Assert.Equal(new[] { "QG1001", "QG1003" }, findings.Select(f => f.Id));
        Assert.All(findings, f => Assert.Matches("^[0-9a-f]{16}$", f.Fingerprint));
        Assert.Equal(new[] { "M:Shop.Orders.Purge(System.String)", "M:Shop.Orders.CloseAll" }, findings.Select(f => f.Member));

        // The code fix's properties are still there.
        Assert.Equal("_id", findings[0].Properties["Keys"]);
    }

    [Fact]
    public async Task Fingerprint_SurvivesLineMovesReformattingCommentsAndUnrelatedEdits()
    {
        var original = await FindingsAsync(Original);

        var edited = Replace(Original, "public partial class Orders\n{", """
            // A new type and a new method above the findings move every line.
            public static class Clock { public static System.DateTime Now => System.DateTime.UtcNow; }

            public partial class Orders
            {
                public int Count() => 0;


            """);
        // Members swapped, the filters reformatted over several lines, with a comment inside.
        edited = Replace(edited, """
                public void Purge(string status) => _orders.DeleteMany(Builders<Order>.Filter.Empty);

                public void CloseAll() => _orders.UpdateMany(o => o.Status != "closed", Builders<Order>.Update.Set(o => o.Status, "closed"));
            """, """
                public void CloseAll()
                {
                    _orders.UpdateMany(
                        o =>   o.Status  !=  "closed",
                        Builders<Order>.Update.Set(o => o.Status, "closed"));
                }

                public void Purge(string status)
                    => _orders.DeleteMany(Builders<Order>
                        .Filter /* every order */ .Empty);
            """);

        var moved = await FindingsAsync(edited);

        Assert.NotEqual(original.Select(f => f.Line), moved.Select(f => f.Line));
        Assert.Equal(original.Select(f => (f.Id, f.Fingerprint)), moved.Select(f => (f.Id, f.Fingerprint)));
    }

    [Fact]
    public async Task Fingerprint_SurvivesMovingTheMemberToAnotherFile()
    {
        var original = await FindingsAsync(Original);
        var withoutPurge = Replace(Original, "    public void Purge(string status) => _orders.DeleteMany(Builders<Order>.Filter.Empty);\n", "");
        const string purgeFile = """
            using MongoDB.Driver;

            namespace Shop;

            public partial class Orders
            {
                public void Purge(string status) => _orders.DeleteMany(Builders<Order>.Filter.Empty);
            }
            """;

        var moved = await FindingsAsync(new[] { withoutPurge, purgeFile });

        Assert.Equal(original.Select(f => (f.Id, f.Fingerprint)), moved.Select(f => (f.Id, f.Fingerprint)));
        Assert.EndsWith("Test1.cs", moved.Single(f => f.Id == "QG1001").Path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Builders<Order>.Filter.Empty", "FilterDefinition<Order>.Empty")]
    [InlineData("Purge(string status)", "PurgeAll(string status)")]
    [InlineData("Purge(string status)", "Purge(int status)")]
    [InlineData("_orders.DeleteMany(Builders<Order>.Filter.Empty)", "_orders.DeleteOne(Builders<Order>.Filter.Empty)")]
    public async Task Fingerprint_ChangesWithTheFilterTheMemberOrTheOperation(string original, string replacement)
    {
        var before = (await FindingsAsync(Original)).Single(f => f.Id == "QG1001");

        var after = (await FindingsAsync(Replace(Original, original, replacement))).Single(f => f.Id == "QG1001");

        Assert.NotEqual(before.Fingerprint, after.Fingerprint);
    }

    [Fact]
    public async Task FindingsInALambdaOrLocalFunction_BelongToTheEnclosingMember()
    {
        var source = Replace(Original, "    public void Purge(string status) => _orders.DeleteMany(Builders<Order>.Filter.Empty);", """
                public System.Action Later()
                {
                    return () => Purge();

                    void Purge() => _orders.DeleteMany(Builders<Order>.Filter.Empty);
                }

                public System.Func<DeleteResult> Lambda() => () => _orders.DeleteMany(Builders<Order>.Filter.Empty);
            """);

        var findings = await FindingsAsync(source);

        Assert.Equal(
            new[] { "M:Shop.Orders.Lambda", "M:Shop.Orders.Later" },
            findings.Where(f => f.Id == "QG1001").Select(f => f.Member).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindingsInAccessorsOrFieldInitializers_BelongToThePropertyOrField()
    {
        var source = Replace(Original, "    public void Purge(string status) => _orders.DeleteMany(Builders<Order>.Filter.Empty);", """
                public DeleteResult Purged => _orders.DeleteMany(Builders<Order>.Filter.Empty);

                private static readonly System.Func<IMongoCollection<Order>, DeleteResult> PurgeAll = c => c.DeleteMany(Builders<Order>.Filter.Empty);
            """);

        var findings = await FindingsAsync(source);

        Assert.Equal(
            new[] { "F:Shop.Orders.PurgeAll", "P:Shop.Orders.Purged" },
            findings.Where(f => f.Id == "QG1001").Select(f => f.Member).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SameRuleOnTheSameFilter_InOneMember_SharesOneFingerprint()
    {
        // The documented limit: identical findings in the same member cannot be told apart.
        var source = Replace(Original, "public void Purge(string status) => _orders.DeleteMany(Builders<Order>.Filter.Empty);", """
            public void Purge(string status)
                {
                    _orders.DeleteMany(Builders<Order>.Filter.Empty);
                    _orders.DeleteMany(Builders<Order>.Filter.Empty);
                }
            """);

        var purges = (await FindingsAsync(source)).Where(f => f.Id == "QG1001").ToList();

        Assert.Equal(2, purges.Count);
        Assert.Equal(purges[0].Fingerprint, purges[1].Fingerprint);
    }

    [Fact]
    public void Hash_IsFnv1a64InLowercaseHex()
    {
        // FNV-1a 64 reference values: the empty string is the offset basis; "a" is af63dc4c8601ec8c.
        Assert.Equal("cbf29ce484222325", QueryGuard.Baseline.Fingerprint.Hash(""));
        Assert.Equal("af63dc4c8601ec8c", QueryGuard.Baseline.Fingerprint.Hash("a"));
    }

    [Theory]
    [InlineData("QG1001", "M:Shop.Orders.Purge\nDeleteMany\norders\nx => x.TenantId == tenantId")]
    [InlineData("QG2001", "café: 2 bytes, € 3 bytes")]
    [InlineData("QG2001", "emoji \U0001F600 is a surrogate pair: 4 bytes")]
    [InlineData("QG2001", "a lone \uD800 high and \uDC00 low surrogate are U+FFFD")]
    [InlineData("QG2001", "ends with a high surrogate \uD83D")]
    public void Hash_OfRuleAndText_IsTheHashOfTheirUtf8JoinedByANewline(string ruleId, string text)
    {
        // The definition (docs/baseline.md): FNV-1a 64 over the UTF-8 bytes of "ruleId\ntext". The analyzer hashes
        // the pieces without building that string or its bytes; this reference does build them.
        var expected = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(ruleId + "\n" + text))
        {
            expected = (expected ^ b) * 1099511628211UL;
        }

        Assert.Equal(expected.ToString("x16", CultureInfo.InvariantCulture), QueryGuard.Baseline.Fingerprint.Hash(ruleId, text));
        Assert.Equal(QueryGuard.Baseline.Fingerprint.Hash(ruleId + "\n" + text), QueryGuard.Baseline.Fingerprint.Hash(ruleId, text));
    }
}
