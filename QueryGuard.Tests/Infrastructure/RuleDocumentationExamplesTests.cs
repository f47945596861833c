using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.Infrastructure;

/// <summary>
/// The examples of docs/rules/QG*.md are real: every C# block under "## Non-compliant code" and "## Compliant code"
/// is compiled against the real driver inside the model of docs/rules/README.md (its C# and its queryguard.json,
/// both read from the README), and QueryGuard is run on it.
/// <list type="bullet">
/// <item>Convention: a C# block is the body of the repository class <c>Trello.Data.Examples</c>, which holds the
/// README's collections as fields (<c>_workspaces</c>, <c>_boards</c>, <c>_memberships</c>); statements appear inside
/// methods. QG0001's blocks are namespace-level types instead, where <c>{ ... }</c> stands for the README's body of
/// the class of that name.</item>
/// <item>A non-compliant block reports the page's rule, every <c>// warning|info QGxxxx: message</c> comment
/// (continued on following <c>//</c> lines indented by more than one space) is a message QueryGuard reports there,
/// with the documented severity, at the <c>~~~</c> span above it when there is one, and every finding of the page's
/// rule in the block has its comment.</item>
/// <item>A compliant block compiles and reports no finding of the page's rule.</item>
/// <item>A plain block of <c>warning QGxxxx: ...</c> lines after a sentence naming a <c>"minServerVersion"</c> is what
/// the C# block before it reports with that setting; QG0001's plain block is what its JSON block reports.</item>
/// <item>"Code fix": the header row and the section say No exactly when no fix provider handles the rule, and a C#
/// block after "becomes:" is what the first action makes of the first finding.</item>
/// <item>"Suppressing with a reason": the examples silence a finding that is really there, without a QG0002, and
/// every <c>[SuppressMessage]</c> names the rule by its title.</item>
/// </list>
/// </summary>
public class RuleDocumentationExamplesTests
{
    private const string ClassName = "Examples";
    private static readonly Regex DiagnosticComment = new(@"^(?<indent>\s*)//\s*(?<severity>warning|info) (?<id>QG\d{4}): (?<message>.+?)\s*$");
    private static readonly Regex Continuation = new(@"^\s*//\s{2,}(?<text>[^~\s].*?)\s*$");
    private static readonly Regex Squiggle = new(@"^\s*//\s*(?<tildes>~+)\s*$");
    private static readonly Regex OutputLine = new(@"^(?:(?<file>[\w.]+)\((?<line>\d+),(?<column>\d+)\): )?(?<severity>warning|info) (?<id>QG\d{4}): (?<message>.+?)\s*$");

    private static string RulesFolder => Path.Combine(ReferenceAssemblies.RepositoryRoot, "docs", "rules");

    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in Descriptors.All)
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    [Fact]
    public void Readme_HasTheModelAndItsConfiguration()
    {
        var model = Model.Value;
        Assert.Contains("class Workspace", model.Types, StringComparison.Ordinal);
        Assert.NotEmpty(model.Collections);
        Assert.Contains("\"collections\"", model.Configuration, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryPage_HasExamplesOnBothSides(string id)
    {
        var page = Page.Read(id);
        Assert.True(page.Blocks(Side.NonCompliant).Any(b => b.Language is "csharp" or "json"), $"{id}.md has no non-compliant example");
        Assert.True(page.Blocks(Side.Compliant).Any(b => b.Language is "csharp" or "json"), $"{id}.md has no compliant example");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryDocumentedMessage_HasTheShapeOfItsRulesMessage(string id)
    {
        var page = Page.Read(id);
        foreach (var block in page.Blocks(Side.NonCompliant).Concat(page.Blocks(Side.Compliant)))
        {
            foreach (var expected in ExpectedFindings(block))
            {
                var descriptor = Descriptors.All.SingleOrDefault(d => d.Id == expected.Id);
                Assert.True(descriptor is not null, $"{Where(block, expected.Line)}: no rule {expected.Id}");
                Assert.Equal(SeverityWord(descriptor!.DefaultSeverity), expected.Severity);
                var format = "^" + Regex.Replace(Regex.Escape(descriptor.MessageFormat.ToString()), @"\\\{\d+}|\{\d+}", ".+") + "$";
                Assert.True(Regex.IsMatch(expected.Message, format), $"{Where(block, expected.Line)}: '{expected.Message}' is not a {expected.Id} message ({descriptor.MessageFormat})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task NonCompliantExamples_ReportTheRuleWithTheDocumentedMessages(string id)
    {
        var page = Page.Read(id);
        var reported = 0;
        CodeBlock? previousCSharp = null;
        foreach (var block in page.Blocks(Side.NonCompliant))
        {
            switch (block.Language)
            {
                case "csharp":
                    var diagnostics = await AnalyzeAsync(id, block, Model.Value.Configuration);
                    CheckDocumentedFindings(id, block, ExpectedFindings(block), diagnostics, requireAllOfRule: true);
                    reported += diagnostics.Count(d => d.Id == id);
                    previousCSharp = block;
                    break;
                case "json" when id == RuleIdentifiers.InvalidConfiguration:
                    var output = page.Blocks(Side.NonCompliant).SkipWhile(b => b != block).Skip(1).FirstOrDefault(b => b.Language == "");
                    Assert.True(output is not null, $"{Where(block, 0)}: a JSON example needs a plain block with what QueryGuard reports for it");
                    var configDiagnostics = await AnalyzeAsync(id, block: null, block.Text);
                    CheckDocumentedFindings(id, output!, ExpectedFindings(output!), configDiagnostics, requireAllOfRule: true);
                    reported += configDiagnostics.Count(d => d.Id == id);
                    break;
                case "" when id != RuleIdentifiers.InvalidConfiguration && ExpectedFindings(block).Any():
                    var version = Regex.Match(block.Preamble, "\"minServerVersion\": \"(?<v>[0-9.]+)\"");
                    Assert.True(version.Success && previousCSharp is not null, $"{Where(block, 0)}: a plain block of findings must follow a C# block and a sentence naming its \"minServerVersion\"");
                    var configuration = Regex.Replace(Model.Value.Configuration, "\"minServerVersion\": \"[0-9.]+\"", $"\"minServerVersion\": \"{version.Groups["v"].Value}\"");
                    var variant = await AnalyzeAsync(id, previousCSharp, configuration);
                    CheckDocumentedFindings(id, block, ExpectedFindings(block), variant, requireAllOfRule: true);
                    break;
            }
        }

        Assert.True(reported > 0, $"No non-compliant example of {id}.md reports {id}");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task CompliantExamples_DoNotReportTheRule(string id)
    {
        var page = Page.Read(id);
        foreach (var block in page.Blocks(Side.Compliant))
        {
            var diagnostics = block.Language switch
            {
                "csharp" => await AnalyzeAsync(id, block, Model.Value.Configuration),
                "json" => await AnalyzeAsync(id, block: null, block.Text),
                _ => ImmutableArray<Diagnostic>.Empty,
            };

            var ofRule = diagnostics.Where(d => d.Id == id).ToList();
            Assert.True(ofRule.Count == 0, $"{Where(block, 0)}: the compliant example reports {id}:\n{Describe(ofRule)}");
            CheckDocumentedFindings(id, block, ExpectedFindings(block), diagnostics, requireAllOfRule: false);
        }
    }

    /// <summary>Every <c>[SuppressMessage("QueryGuard", "QGxxxx:Title")]</c> on a page names the rule by its real title.</summary>
    [Theory]
    [MemberData(nameof(Pages))]
    public void SuppressMessageExamples_UseTheRulesTitle(string id)
    {
        var text = File.ReadAllText(Path.Combine(RulesFolder, id + ".md"));
        foreach (Match attribute in Regex.Matches(text, @"SuppressMessage\(""QueryGuard"", ""(?<id>QG\d{4}):(?<title>[^""]*)"""))
        {
            var descriptor = Descriptors.All.SingleOrDefault(d => d.Id == attribute.Groups["id"].Value);
            Assert.True(descriptor is not null, $"{id}.md suppresses an unknown rule: {attribute.Value}");
            Assert.Equal(descriptor!.Title.ToString(), attribute.Groups["title"].Value);
        }
    }

    /// <summary>
    /// A C# example under "Suppressing with a reason" (other than a lone attribute) compiles, reports neither the
    /// page's rule nor QG0002, and does report the rule once its <c>#pragma</c> lines and <c>[SuppressMessage]</c> are removed.
    /// </summary>
    [Theory]
    [MemberData(nameof(Pages))]
    public async Task SuppressionExamples_SilenceARealFindingWithAReason(string id)
    {
        if (id is RuleIdentifiers.InvalidConfiguration or RuleIdentifiers.SuppressionWithoutReason)
        {
            // QG0001's examples are attributes on document types, QG0002's suppress QG0002 around elided code.
            return;
        }

        var suppression = new Regex($@"^\s*(#pragma warning (disable|restore) {id}\b|\[SuppressMessage\(""QueryGuard"", ""{id}\b)");
        var blocks = Page.Read(id).All
            .Where(b => b.Section == "Suppressing with a reason" && b.Language == "csharp" && b.Lines.Any(suppression.IsMatch) && b.Lines.Any(l => l.Trim().Length > 0 && !suppression.IsMatch(l)))
            .ToList();
        Assert.True(blocks.Count > 0, $"{id}.md has no suppression example with code");
        foreach (var block in blocks)
        {
            var diagnostics = await AnalyzeAsync(id, block, Model.Value.Configuration);
            var left = diagnostics.Where(d => d.Id == id || d.Id == RuleIdentifiers.SuppressionWithoutReason).ToList();
            Assert.True(left.Count == 0, $"{Where(block, 0)}: the suppression example still reports:\n{Describe(left)}");

            var unsuppressed = block with { Lines = block.Lines.Where(l => !suppression.IsMatch(l)).ToList() };
            var findings = await AnalyzeAsync(id, unsuppressed, Model.Value.Configuration);
            Assert.True(findings.Any(d => d.Id == id), $"{Where(block, 0)}: without its suppression the example does not report {id}, so the suppression is not needed:\n{Describe(findings)}");
        }
    }

    /// <summary>
    /// The header's "Code fix" row and the section agree with the fixes QueryGuard has, and a C# block after prose
    /// ending in "becomes:" is what the first action does to the page's first finding in its first non-compliant example.
    /// </summary>
    [Theory]
    [MemberData(nameof(Pages))]
    public async Task CodeFixSection_DescribesTheFixes(string id)
    {
        var text = File.ReadAllText(Path.Combine(RulesFolder, id + ".md"));
        var row = Regex.Match(text, @"^\| Code fix \| (?<value>.+) \|$", RegexOptions.Multiline);
        Assert.True(row.Success, $"{id}.md has no 'Code fix' row");
        var section = Regex.Match(text, @"^## Code fix\s+(?<first>\S+)", RegexOptions.Multiline);
        Assert.True(section.Success, $"{id}.md has no '## Code fix' section");
        var providers = FixProviders.Where(p => p.FixableDiagnosticIds.Contains(id)).ToList();
        if (providers.Count == 0)
        {
            Assert.True(row.Groups["value"].Value == "No", $"{id} has no code fix, but its page's header says '{row.Groups["value"].Value}'");
            Assert.True(section.Groups["first"].Value == "No.", $"{id} has no code fix, but its page's section starts '{section.Groups["first"].Value}'");
            return;
        }

        Assert.True(row.Groups["value"].Value != "No" && section.Groups["first"].Value != "No.", $"{id} has a code fix ({string.Join(", ", providers.Select(p => p.GetType().Name))}), but its page says No");
        var page = Page.Read(id);
        foreach (var block in page.All.Where(b => b.Section == "Code fix" && b.Language == "csharp" && b.Preamble.TrimEnd().EndsWith("becomes:", StringComparison.Ordinal)))
        {
            var example = page.Blocks(Side.NonCompliant).First(b => b.Language == "csharp");
            var (project, diagnostics) = await CompileAsync(id, example, Model.Value.Configuration);
            var diagnostic = diagnostics.Where(d => d.Id == id).OrderBy(d => d.Location.SourceSpan.Start).First();
            var document = project.GetDocument(diagnostic.Location.SourceTree)!;
            var actions = new List<CodeAction>();
            foreach (var provider in providers)
            {
                await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
            }

            Assert.True(actions.Count > 0, $"{Where(block, 0)}: no code action is offered for the first finding of the first example");
            var operations = await actions[0].GetOperationsAsync(CancellationToken.None);
            var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
            var fixedText = (await changed.GetTextAsync()).ToString();
            var fixedLines = fixedText.Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
            foreach (var line in block.Lines.Where(l => l.Trim().Length > 0))
            {
                Assert.True(fixedLines.Contains(line.Trim()), $"{Where(block, 0)}: '{line.Trim()}' is not in the fixed code ('{actions[0].Title}'):\n{fixedText}");
            }

            var errors = (await changed.Project.GetCompilationAsync())!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, $"{Where(block, 0)}: the fixed code does not compile:\n{Describe(errors)}");
        }
    }

    private static readonly IReadOnlyList<CodeFixProvider> FixProviders = typeof(QueryGuard.CodeFixes.TargetDocumentCodeFix).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToList();

    private static void CheckDocumentedFindings(string id, CodeBlock block, IReadOnlyList<ExpectedFinding> expected, ImmutableArray<Diagnostic> diagnostics, bool requireAllOfRule)
    {
        var remaining = diagnostics.ToList();
        foreach (var finding in expected)
        {
            var match = remaining.FirstOrDefault(d => d.Id == finding.Id && d.GetMessage() == finding.Message && At(d, finding));
            Assert.True(match is not null, $"{Where(block, finding.Line)}: QueryGuard does not report '{finding.Id}: {finding.Message}'{(finding.Span is { } s ? $" at line {s.Line + 1}, column {s.Column + 1}" : "")}. It reports:\n{Describe(diagnostics)}");
            Assert.Equal(SeverityWord(match!.DefaultSeverity), finding.Severity);
            remaining.Remove(match);
        }

        if (requireAllOfRule)
        {
            var undocumented = remaining.Where(d => d.Id == id).ToList();
            Assert.True(undocumented.Count == 0, $"{Where(block, 0)}: findings of {id} with no comment in the example:\n{Describe(undocumented)}");
        }
    }

    /// <summary>Where the comment's squiggle (or, for QG0001 output, its file position) says the finding is.</summary>
    private static bool At(Diagnostic diagnostic, ExpectedFinding finding)
    {
        if (finding.Span is not { } span)
        {
            return true;
        }

        var mapped = diagnostic.Location.GetMappedLineSpan();
        if (finding.File is { } file)
        {
            return Path.GetFileName(mapped.Path) == file && mapped.StartLinePosition.Line == span.Line && mapped.StartLinePosition.Character == span.Column;
        }

        if (mapped.StartLinePosition.Line != span.Line || mapped.StartLinePosition.Character != span.Column)
        {
            return false;
        }

        // A span that goes on to the next line is underlined to the end of its first line.
        return mapped.EndLinePosition.Line == span.Line
            ? mapped.EndLinePosition.Character - mapped.StartLinePosition.Character == span.Length
            : span.Column + span.Length == span.LineLength;
    }

    private static IReadOnlyList<ExpectedFinding> ExpectedFindings(CodeBlock block)
    {
        var findings = new List<ExpectedFinding>();
        var lines = block.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            if (block.Language == "")
            {
                var output = OutputLine.Match(lines[i]);
                if (!output.Success)
                {
                    continue;
                }

                var text = new StringBuilder(output.Groups["message"].Value);
                while (i + 1 < lines.Count && lines[i + 1].StartsWith("  ", StringComparison.Ordinal) && lines[i + 1].Trim().Length > 0)
                {
                    text.Append(' ').Append(lines[++i].Trim());
                }

                (int Line, int Column, int Length, int LineLength)? at = output.Groups["file"].Success
                    ? (int.Parse(output.Groups["line"].Value) - 1, int.Parse(output.Groups["column"].Value) - 1, 0, 0)
                    : null;
                findings.Add(new ExpectedFinding(output.Groups["id"].Value, output.Groups["severity"].Value, text.ToString(), block.StartLine + i, output.Groups["file"].Success ? output.Groups["file"].Value : null, at));
                continue;
            }

            var comment = DiagnosticComment.Match(lines[i]);
            if (!comment.Success)
            {
                continue;
            }

            var first = i;
            var message = new StringBuilder(comment.Groups["message"].Value);
            while (i + 1 < lines.Count && Continuation.Match(lines[i + 1]) is { Success: true } next)
            {
                message.Append(' ').Append(next.Groups["text"].Value);
                i++;
            }

            (int Line, int Column, int Length, int LineLength)? span = null;
            if (first >= 2 && Squiggle.Match(lines[first - 1]) is { Success: true } squiggle)
            {
                var tildes = squiggle.Groups["tildes"];
                var code = lines[first - 2].TrimEnd();
                span = (block.StartLine + first - 2, tildes.Index, tildes.Length, code.Length);
            }

            findings.Add(new ExpectedFinding(comment.Groups["id"].Value, comment.Groups["severity"].Value, message.ToString(), block.StartLine + first, null, span));
        }

        return findings;
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string id, CodeBlock? block, string configuration) =>
        (await CompileAsync(id, block, configuration)).Diagnostics;

    private static async Task<(Project Project, ImmutableArray<Diagnostic> Diagnostics)> CompileAsync(string id, CodeBlock? block, string configuration)
    {
        var model = Model.Value;
        var page = $"docs/rules/{id}.md";
        var source = new StringBuilder();
        source.AppendLine("using System;");
        source.AppendLine("using System.Collections.Generic;");
        source.AppendLine("using System.Diagnostics.CodeAnalysis;");
        source.AppendLine("using System.Linq;");
        source.AppendLine("using System.Threading.Tasks;");
        source.AppendLine("using MongoDB.Bson;");
        source.AppendLine("using MongoDB.Driver;");
        source.AppendLine("using QueryGuard;");
        source.AppendLine("namespace Trello.Data");
        source.AppendLine("{");
        var types = model.Types;
        if (block is not null && id == RuleIdentifiers.InvalidConfiguration)
        {
            // Namespace-level types; "{ ... }" is the README's body of the class of that name, which it replaces.
            var text = block.Text;
            foreach (Match declared in Regex.Matches(text, @"class (?<name>\w+) \{ \.\.\. \}"))
            {
                var name = declared.Groups["name"].Value;
                var readme = Regex.Match(types, $@"^.*\bclass {name}\b\s*(?<body>\{{.*\}})\s*$", RegexOptions.Multiline);
                Assert.True(readme.Success, $"{page}: the README model has no class {name}");
                types = types.Remove(readme.Index, readme.Length);
                text = text.Replace(declared.Value, $"class {name} {readme.Groups["body"].Value}", StringComparison.Ordinal);
            }

            source.AppendLine(types);
            source.AppendLine($"#line {block.StartLine + 1} \"{page}\"");
            source.AppendLine(text);
            source.AppendLine("#line default");
            source.AppendLine(Repository(model, body: null));
        }
        else
        {
            source.AppendLine(types);
            source.AppendLine(Repository(model, block is null ? null : $"#line {block.StartLine + 1} \"{page}\"\n{block.Text}\n#line default"));
        }

        source.AppendLine("}");

        var attributes = File.ReadAllText(Path.Combine(ReferenceAssemblies.RepositoryRoot, "QueryGuard.Package", "build", "QueryGuard.Attributes.cs"));
        var project = TestProject.Create(
            new[] { source.ToString(), attributes },
            additionalFiles: new Dictionary<string, string> { ["queryguard.json"] = configuration });
        var (compiler, analyzer) = await TestProject.GetDiagnosticsAsync(project);
        var errors = compiler.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"{(block is null ? page + " (JSON example)" : Where(block, 0))} does not compile in the README's model:\n{Describe(errors)}\n\n{source}");
        return (project, analyzer);
    }

    private static string Repository(ReadmeModel model, string? body)
    {
        var text = new StringBuilder();
        text.AppendLine($"public partial class {ClassName}");
        text.AppendLine("{");
        foreach (var (field, type, _) in model.Collections)
        {
            text.AppendLine($"    private readonly IMongoCollection<{type}> {field};");
        }

        text.AppendLine($"    public {ClassName}(IMongoDatabase database)");
        text.AppendLine("    {");
        foreach (var (_, _, statement) in model.Collections)
        {
            text.AppendLine("        " + statement);
        }

        text.AppendLine("    }");
        if (body is not null)
        {
            text.AppendLine(body);
        }

        text.AppendLine("}");
        return text.ToString();
    }

    private static string Describe(IEnumerable<Diagnostic> diagnostics)
    {
        var lines = diagnostics.Select(d =>
        {
            var span = d.Location.GetMappedLineSpan();
            return $"  {Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}-{span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1}): {d.Id}: {d.GetMessage()}";
        }).ToList();
        return lines.Count == 0 ? "  (nothing)" : string.Join("\n", lines);
    }

    private static string SeverityWord(DiagnosticSeverity severity) => severity == DiagnosticSeverity.Info ? "info" : severity.ToString().ToLowerInvariant();

    private static string Where(CodeBlock block, int line) => $"docs/rules/{block.Page}.md({(line > 0 ? line : block.StartLine) + 1})";

    private static readonly Lazy<ReadmeModel> Model = new(ReadmeModel.Read);

    private enum Side
    {
        NonCompliant,
        Compliant,
    }

    private sealed record ExpectedFinding(string Id, string Severity, string Message, int Line, string? File, (int Line, int Column, int Length, int LineLength)? Span);

    /// <summary>A fenced block: its language ("" for a plain fence), its text, and the 0-based line of its first line in the page.</summary>
    private sealed record CodeBlock(string Page, string Section, string Language, int StartLine, IReadOnlyList<string> Lines, string Preamble)
    {
        public string Text => string.Join("\n", Lines);
    }

    private sealed class Page
    {
        private Page(IReadOnlyList<CodeBlock> blocks) => All = blocks;

        public IReadOnlyList<CodeBlock> All { get; }

        public IEnumerable<CodeBlock> Blocks(Side side) =>
            All.Where(b => b.Section == (side == Side.NonCompliant ? "Non-compliant code" : "Compliant code"));

        public static Page Read(string id) => new(ReadBlocks(id, Path.Combine(RulesFolder, id + ".md")));

        public static IReadOnlyList<CodeBlock> ReadBlocks(string name, string path)
        {
            var lines = File.ReadAllLines(path);
            var blocks = new List<CodeBlock>();
            var section = string.Empty;
            var prose = new StringBuilder();
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith("## ", StringComparison.Ordinal))
                {
                    section = lines[i][3..].Trim();
                    prose.Clear();
                    continue;
                }

                if (!lines[i].StartsWith("```", StringComparison.Ordinal))
                {
                    prose.AppendLine(lines[i]);
                    continue;
                }

                var language = lines[i][3..].Trim();
                var start = i + 1;
                var body = new List<string>();
                for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
                {
                    body.Add(lines[i]);
                }

                blocks.Add(new CodeBlock(name, section, language, start, body, prose.ToString()));
                prose.Clear();
            }

            return blocks;
        }
    }

    /// <summary>The model of docs/rules/README.md: its C# block (types, and the collections it gets) and its queryguard.json.</summary>
    private sealed record ReadmeModel(string Types, IReadOnlyList<(string Field, string Type, string Statement)> Collections, string Configuration)
    {
        public static ReadmeModel Read()
        {
            var blocks = Page.ReadBlocks("README", Path.Combine(RulesFolder, "README.md"));
            var csharp = Assert.Single(blocks, b => b.Language == "csharp");
            var json = Assert.Single(blocks, b => b.Language == "json");

            // The block mixes type declarations and the statements that get the collections: parse it as a script.
            var root = CSharpSyntaxTree.ParseText(csharp.Text, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script)).GetCompilationUnitRoot();
            Assert.DoesNotContain(root.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
            var types = string.Join("\n", root.Members.OfType<TypeDeclarationSyntax>().Select(t => t.ToString()));
            var collections = root.Members.OfType<GlobalStatementSyntax>().Select(s =>
            {
                var text = s.ToString().Trim();
                var match = Regex.Match(text, @"^(?<field>\w+)\s*=\s*database\.GetCollection<(?<type>\w+)>\(""\w+""\);$");
                Assert.True(match.Success, $"docs/rules/README.md: '{text}' is not 'field = database.GetCollection<T>(\"name\");'");
                return (match.Groups["field"].Value, match.Groups["type"].Value, text);
            }).ToList();
            return new ReadmeModel(types, collections, json.Text);
        }
    }
}
