using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.Rules;

public class QG0002SuppressionWithoutReasonTests
{
    private static readonly Verify Verify = new(RuleIdentifiers.SuppressionWithoutReason);

    private static string Code(string suppression) => $$"""
        using System.Diagnostics.CodeAnalysis;
        using MongoDB.Driver;

        public class Session { public string Id { get; set; } = ""; }

        public class Purge
        {
            {{suppression}}
            public void Run(IMongoCollection<Session> sessions) => sessions.DeleteMany(Builders<Session>.Filter.Empty);
        }
        """;

    [Theory]
    [InlineData("[|#pragma warning disable QG1001|]\n", "#pragma warning disable QG1001 // nightly purge: every session expires at midnight\n")]
    [InlineData("[|#pragma warning disable QG1001, QG2001|]\n", "#pragma warning disable QG1001, QG2001 // migration 42 rewrites all sessions\n")]
    [InlineData("[|#pragma warning disable CS0168, QG1001|]\n", "#pragma warning disable CS0168, QG1001 // nightly purge\n")]
    [InlineData("[|#pragma warning disable QG1001 //|]\n", "#pragma warning disable QG1001 // reason\n")]
    [InlineData("[[|SuppressMessage(\"QueryGuard\", \"QG1001:Write matches every document\")|]]", "[SuppressMessage(\"QueryGuard\", \"QG1001:Write matches every document\", Justification = \"Nightly purge of every session\")]")]
    [InlineData("[[|SuppressMessage(\"QueryGuard\", \"QG1001\", Justification = \"\")|]]", "[SuppressMessage(\"QueryGuard\", \"QG1001\", Justification = \"Nightly purge\")]")]
    [InlineData("[[|SuppressMessage(\"QueryGuard\", \"QG1001\", Justification = \"  \")|]]", "[SuppressMessage(\"QueryGuard\", \"QG1001\", Justification = \"Nightly purge\")]")]
    [InlineData("[[|SuppressMessage(\"QueryGuard\", \"QG1001\", Justification = \"<Pending>\")|]]", "[SuppressMessage(\"QueryGuard\", \"QG1001\", Justification = \"Pending review by the data team\")]")]
    [InlineData("[[|System.Diagnostics.CodeAnalysis.SuppressMessageAttribute(\"QueryGuard\", \"QG1001\")|]]", "[System.Diagnostics.CodeAnalysis.SuppressMessageAttribute(\"QueryGuard\", \"QG1001\", Justification = \"Purge\")]")]
    [InlineData("[[|UnconditionalSuppressMessage(\"QueryGuard\", \"QG1001\")|]]", "[UnconditionalSuppressMessage(\"QueryGuard\", \"QG1001\", Justification = \"Purge\")]")]
    public async Task Suppression_Reports_AndTwinWithReason_NoDiagnostic(string positive, string negative)
    {
        await Verify.DiagnosticsAsync(Code(positive));
        await Verify.NoDiagnosticsAsync(Code(negative));
    }

    [Theory]
    // Not QueryGuard's business: other analyzers' suppressions, restores, and a bare disable.
    [InlineData("#pragma warning disable CS0168\n")]
    [InlineData("#pragma warning restore QG1001\n")]
    [InlineData("[SuppressMessage(\"Style\", \"IDE0060\")]")]
    [InlineData("[SuppressMessage(\"QueryGuardExtras\", \"QGX:Other\")]")]
    public async Task OtherSuppressions_NoDiagnostic(string suppression) =>
        await Verify.NoDiagnosticsAsync(Code(suppression));

    [Fact]
    public async Task AssemblyLevelSuppression_Reports()
    {
        var source = Code(string.Empty).Replace(
            "public class Session",
            "[assembly: {|#0:SuppressMessage(\"QueryGuard\", \"QG2001\", Scope = \"member\", Target = \"~M:Purge.Run\")|}]\npublic class Session");
        var test = Verify.Test(source);
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.SuppressionWithoutReason).WithLocation(0)
            .WithMessage("[SuppressMessage] suppresses QG2001 without a reason: set Justification to why the operation is safe"));
        await test.RunAsync();
    }

    [Fact]
    public async Task WorksWithoutMongoDriver()
    {
        var test = Verify.Test("#pragma warning disable QG1001\npublic class C { }\n#pragma warning restore QG1001\n");
        test.Driver = null;
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.SuppressionWithoutReason).WithSpan(new Microsoft.CodeAnalysis.Text.TextSpan(0, 30))
            .WithMessage("#pragma warning disable suppresses QG1001 without a reason: add a comment after it on the same line, such as // nightly purge of expired sessions"));
        await test.RunAsync();
    }
}
