using Microsoft.CodeAnalysis;
using QueryGuard.Baseline;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.Baseline;

/// <summary>A small service with two findings, and helpers to read the fingerprints QueryGuard gives them.</summary>
internal static class BaselineTestSource
{
    public const string Original = """
        using MongoDB.Driver;

        namespace Shop;

        public class Order { public string Id { get; set; } = ""; public string Status { get; set; } = ""; }

        public partial class Orders
        {
            private readonly IMongoCollection<Order> _orders;

            public Orders(IMongoDatabase db) => _orders = db.GetCollection<Order>("orders");

            public void Purge(string status) => _orders.DeleteMany(Builders<Order>.Filter.Empty);

            public void CloseAll() => _orders.UpdateMany(o => o.Status != "closed", Builders<Order>.Update.Set(o => o.Status, "closed"));
        }
        """;

    public sealed record Finding(string Id, string Fingerprint, string Member, string Path, int Line, IReadOnlyDictionary<string, string?> Properties);

    /// <summary>QueryGuard's findings on the sources, with their fingerprints, in a fixed order.</summary>
    public static async Task<IReadOnlyList<Finding>> FindingsAsync(IReadOnlyList<string> sources, IReadOnlyDictionary<string, string>? additionalFiles = null, string? globalConfig = null)
    {
        var (compiler, analyzer) = await TestProject.GetDiagnosticsAsync(TestProject.Create(sources, additionalFiles: additionalFiles, globalConfig: globalConfig));
        Assert.Empty(compiler.Where(d => d.Severity == DiagnosticSeverity.Error));
        return analyzer
            .Where(d => d.Id.StartsWith("QG", StringComparison.Ordinal))
            .Select(d => new Finding(
                d.Id,
                d.Properties.TryGetValue(Fingerprint.Property, out var print) ? print ?? "" : "",
                d.Properties.TryGetValue(Fingerprint.MemberProperty, out var member) ? member ?? "" : "",
                d.Location.GetLineSpan().Path,
                d.Location.GetLineSpan().StartLinePosition.Line,
                d.Properties))
            .OrderBy(f => f.Id, StringComparer.Ordinal)
            .ThenBy(f => f.Member, StringComparer.Ordinal)
            .ToList();
    }

    public static Task<IReadOnlyList<Finding>> FindingsAsync(string source, IReadOnlyDictionary<string, string>? additionalFiles = null, string? globalConfig = null) =>
        FindingsAsync(new[] { source }, additionalFiles, globalConfig);

    /// <summary>A baseline document accepting the given findings, in the format the baseline tool writes.</summary>
    public static string BaselineOf(IEnumerable<Finding> findings) =>
        "{\n  \"version\": 1,\n  \"findings\": [\n"
        + string.Join(",\n", findings.Select(f => $"    {{ \"rule\": \"{f.Id}\", \"fingerprint\": \"{f.Fingerprint}\", \"member\": \"{f.Member}\" }}"))
        + "\n  ]\n}\n";

    public static string Replace(string text, string original, string replacement)
    {
        var index = text.IndexOf(original, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{original}' is not in the text");
        return text[..index] + replacement + text[(index + original.Length)..];
    }
}
