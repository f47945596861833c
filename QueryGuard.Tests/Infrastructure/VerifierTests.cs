using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using QueryGuard.Tests.Verification;
using Xunit.Sdk;

namespace QueryGuard.Tests.Infrastructure;

/// <summary>
/// The verifier itself: it must fail a test whenever what it claims to check is false. These tests run it with a
/// small probe analyzer (QG9901 on every call to a method named Purge) and probe code fixes.
/// </summary>
public class VerifierTests
{
    private const string Code = """
        public class Store
        {
            public void Purge(int n) { }
            public void Keep(int n) { }
            public void Missing2(int n) { }
            public void Run()
            {
                {|#0:Purge(1)|};
                [|Purge(2)|];
                Keep(3);
            }
        }
        """;

    [Fact]
    public void Markup_ParsesSpansIdsAndLocations()
    {
        var (source, spans) = TestMarkup.Parse("a [|b {|QG1001:c|} d|] {|#3:e|} f");

        Assert.Equal("a b c d e f", source);
        Assert.Collection(
            spans,
            s => Assert.Equal((null, new TextSpan(2, 5)), (s.Id, s.Span)),
            s => Assert.Equal(("QG1001", new TextSpan(4, 1)), (s.Id, s.Span)),
            s => Assert.Equal(("#3", new TextSpan(8, 1)), (s.Id, s.Span)));
    }

    [Fact]
    public async Task MatchingMarkupAndLocations_Pass()
    {
        var test = ProbeTest(Code);
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(ProbeAnalyzer.Id).WithLocation(0).WithArguments("Purge(1)"));
        await test.RunAsync();
    }

    [Fact]
    public async Task MissingDiagnostic_Fails()
    {
        var test = ProbeTest(Code.Replace("Keep(3);", "[|Keep(3)|];"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(ProbeAnalyzer.Id).WithLocation(0));
        var failure = await Assert.ThrowsAsync<XunitException>(() => test.RunAsync());
        Assert.Contains("expected but not reported", failure.Message);
    }

    [Fact]
    public async Task UnexpectedDiagnostic_Fails()
    {
        var failure = await Assert.ThrowsAsync<XunitException>(() => ProbeTest(Code).RunAsync());
        Assert.Contains("reported but not expected", failure.Message);
    }

    [Fact]
    public async Task WrongMessageArguments_Fail()
    {
        var test = ProbeTest(Code);
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(ProbeAnalyzer.Id).WithLocation(0).WithArguments("Purge(9)"));
        await Assert.ThrowsAsync<XunitException>(() => test.RunAsync());
    }

    [Fact]
    public async Task SourceThatDoesNotCompile_Fails_UnlessAllowed()
    {
        var broken = "public class C { void M() { int x = ; } }";
        await Assert.ThrowsAsync<XunitException>(() => ProbeTest(broken).RunAsync());

        var allowed = ProbeTest(broken);
        allowed.AllowCompilerErrors = true;
        await allowed.RunAsync();
    }

    [Fact]
    public async Task AnalyzerException_Fails()
    {
        var test = ProbeTest("public class C { void M() { M(); } }");
        test.Analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new ThrowingAnalyzer());
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => test.RunAsync());
        Assert.Contains("threw", failure.Message);
    }

    [Fact]
    public async Task CodeFix_OneAtATimeAndFixAll_ReachTheFixedSource()
    {
        var test = ProbeTest(Code);
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(ProbeAnalyzer.Id).WithLocation(0));
        test.CodeFix = new RenameFix("Keep");
        test.FixedSource = Code.Replace("{|#0:Purge(1)|}", "Keep(1)").Replace("[|Purge(2)|]", "Keep(2)");
        await test.RunAsync();
    }

    [Fact]
    public async Task CodeFix_WrongFixedSource_Fails()
    {
        var test = ProbeTest(Code);
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(ProbeAnalyzer.Id).WithLocation(0));
        test.CodeFix = new RenameFix("Keep");
        test.FixedSource = Code.Replace("{|#0:Purge(1)|}", "Keep(1)").Replace("[|Purge(2)|]", "Purge(2)");
        var failure = await Assert.ThrowsAsync<XunitException>(() => test.RunAsync());
        Assert.Contains("produced different code", failure.Message);
    }

    [Fact]
    public async Task CodeFix_ThatBreaksTheBuild_Fails()
    {
        var test = ProbeTest(Code);
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(ProbeAnalyzer.Id).WithLocation(0));
        test.CodeFix = new RenameFix("Nonexistent");
        test.FixedSource = Code.Replace("{|#0:Purge(1)|}", "Nonexistent(1)").Replace("[|Purge(2)|]", "Nonexistent(2)");
        var failure = await Assert.ThrowsAsync<XunitException>(() => test.RunAsync());
        Assert.Contains("does not compile", failure.Message);
    }

    [Fact]
    public async Task CodeFix_OfferedWhereNoneWasExpected_Fails()
    {
        var test = ProbeTest(Code);
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(ProbeAnalyzer.Id).WithLocation(0));
        test.CodeFix = new RenameFix("Keep");
        var failure = await Assert.ThrowsAsync<XunitException>(() => test.RunAsync());
        Assert.Contains("Expected no code action", failure.Message);
    }

    private static QueryGuardTest ProbeTest(string source) => new()
    {
        Source = source,
        Driver = null,
        DefaultRuleId = ProbeAnalyzer.Id,
        Analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new ProbeAnalyzer()),
    };

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ProbeAnalyzer : DiagnosticAnalyzer
    {
        public const string Id = "QG9901";

        private static readonly DiagnosticDescriptor Rule = new(Id, "Probe", "Call {0}", "Test", DiagnosticSeverity.Warning, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxNodeAction(
                c =>
                {
                    var call = (InvocationExpressionSyntax)c.Node;
                    if (call.Expression is IdentifierNameSyntax { Identifier.Text: "Purge" })
                    {
                        c.ReportDiagnostic(Diagnostic.Create(Rule, call.GetLocation(), call.ToString()));
                    }
                },
                SyntaxKind.InvocationExpression);
        }
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("QG9902", "Throws", "Throws", "Test", DiagnosticSeverity.Warning, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxNodeAction(_ => throw new InvalidOperationException("planted"), SyntaxKind.InvocationExpression);
        }
    }

    [Shared]
    private sealed class RenameFix : CodeFixProvider
    {
        private readonly string _newName;

        public RenameFix(string newName) => _newName = newName;

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(ProbeAnalyzer.Id);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = (await context.Document.GetSyntaxRootAsync(context.CancellationToken))!;
            var call = (InvocationExpressionSyntax)root.FindNode(context.Span);
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Rename to " + _newName,
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(call.Expression, SyntaxFactory.IdentifierName(_newName).WithTriviaFrom(call.Expression)))),
                    "Rename"),
                context.Diagnostics);
        }
    }
}
