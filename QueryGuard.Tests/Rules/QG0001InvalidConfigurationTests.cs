using Microsoft.CodeAnalysis.Text;
using QueryGuard.Tests.Verification;
using static QueryGuard.Tests.Rules.ShardingScenario;

namespace QueryGuard.Tests.Rules;

public class QG0001InvalidConfigurationTests
{
    private const string Valid = """
        {
          "minServerVersion": "7.0",
          "elementNameConvention": "camelCase",
          "collections": {
            "boards": { "documentType": "Trello.Board", "shardKey": { "idWorkspace": 1 }, "uniqueKeys": [["slug"]] },
            "memberships": { "documentType": "Trello.Membership", "shardKey": { "idModel": 1, "_id": "hashed" } }
          },
          "elementNames": { "Trello.Board.WorkspaceId": "idWorkspace" }
        }
        """;

    /// <summary>The <c>[ShardKey]</c> attribute as a test project declares it, for the attribute cases below.</summary>
    private const string ShardKeyAttributeDeclaration = """

        namespace QueryGuard
        {
            internal sealed class ShardKeyAttribute : System.Attribute { public ShardKeyAttribute(params string[] fields) { } public bool Hashed { get; set; } }
        }

        """;

    private static readonly string Source = Code("_boards.Find(x => x.WorkspaceId == workspaceId);");

    public static TheoryData<string, string, string> Broken() => new()
    {
        // (replace this, with this, error at this text of the result)
        { "\"minServerVersion\"", "\"minServerVersoin\"", "\"minServerVersoin\"" },
        { "\"7.0\"", "\"seven\"", "\"seven\"" },
        { "\"camelCase\"", "\"PascalCase\"", "\"PascalCase\"" },
        { "\"uniqueKeys\"", "\"uniqueKey\"", "\"uniqueKey\"" },
        { "\"Trello.Board\"", "\"Trello.Bored\"", "\"Trello.Bored\"" },
        { "\"Trello.Board.WorkspaceId\"", "\"Trello.Board.WorkspaceIdd\"", "\"Trello.Board.WorkspaceIdd\"" },
        { "\"Trello.Board.WorkspaceId\"", "\"Trello.Bord.WorkspaceId\"", "\"Trello.Bord.WorkspaceId\"" },
        { "{ \"idWorkspace\": 1 }", "{ \"idWorkspace\": -1 }", "-1" },
        { "{ \"idWorkspace\": 1 }", "{ }", "{ }" },
        { "\"_id\": \"hashed\"", "\"_id\": \"hashed\", \"x\": \"hashed\"", "{ \"idModel\": 1, \"_id\": \"hashed\", \"x\": \"hashed\" }" },
        { "[[\"slug\"]]", "[\"slug\"]", "\"slug\"" },
        { "\"memberships\"", "\"boards\"", "\"boards\"" },
        { "\"elementNameConvention\"", "\"minServerVersion\": \"7.0\", \"elementNameConvention\"", "\"minServerVersion\"" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task BrokenSetting_ReportsAtItsPosition_AndTheValidFileDoesNot(string original, string replacement, string at)
    {
        var config = ReplaceFirst(Valid, original, replacement);
        var test = new QueryGuardTest { Source = Source, ComparedRuleIds = new[] { RuleIdentifiers.InvalidConfiguration } };
        test.AdditionalFiles["queryguard.json"] = config;
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.InvalidConfiguration).InFile("queryguard.json", SpanOf(config, at)));
        await test.RunAsync();

        var twin = new QueryGuardTest { Source = Source, ComparedRuleIds = new[] { RuleIdentifiers.InvalidConfiguration } };
        twin.AdditionalFiles["queryguard.json"] = Valid;
        await twin.RunAsync();
    }

    [Theory]
    [InlineData("{ \"collections\": { \"boards\": { } } ", "unexpected end of text, '}' was expected")]
    [InlineData("{ \"collections\": { \"boards\" { } } }", "':' was expected")]
    [InlineData("[1, 2]", "must contain a JSON object")]
    public async Task MalformedJson_ReportsWithTheParsersMessage(string config, string fragment)
    {
        var test = new QueryGuardTest { Source = Source, ComparedRuleIds = new[] { RuleIdentifiers.InvalidConfiguration } };
        test.AdditionalFiles["queryguard.json"] = config;
        var (_, analyzer) = await TestProject.GetDiagnosticsAsync(TestProject.Create(new[] { Source }, additionalFiles: test.AdditionalFiles));
        var diagnostic = Assert.Single(analyzer, d => d.Id == RuleIdentifiers.InvalidConfiguration);
        Assert.Contains(fragment, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.EndsWith("queryguard.json", diagnostic.Location.GetLineSpan().Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedFile_IsReportedAtTheRightLineAndColumn()
    {
        const string config = "{\n  \"collections\": {\n    \"boards\": { \"shardKey\": { \"idWorkspace\": 2 } }\n  }\n}";
        var (_, analyzer) = await TestProject.GetDiagnosticsAsync(TestProject.Create(new[] { Source }, additionalFiles: new Dictionary<string, string> { ["queryguard.json"] = config }));
        var diagnostic = Assert.Single(analyzer, d => d.Id == RuleIdentifiers.InvalidConfiguration);
        var position = diagnostic.Location.GetLineSpan().StartLinePosition;

        Assert.Equal((2, config.Split('\n')[2].IndexOf('2', StringComparison.Ordinal)), (position.Line, position.Character));
        Assert.Equal("Shard-key field 'idWorkspace' of 'boards' must be 1 (ranged) or \"hashed\"", diagnostic.GetMessage());
    }

    [Fact]
    public async Task BadEntry_DoesNotStopTheRestOfTheConfigurationOrOtherRules()
    {
        var config = ReplaceFirst(Valid, "\"minServerVersion\"", "\"unknownSetting\": true, \"minServerVersion\"");
        var test = new QueryGuardTest { Source = Code("_boards.Find({|QG2001:x => x.Name == name|});") };
        test.AdditionalFiles["queryguard.json"] = config;
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.InvalidConfiguration).InFile("queryguard.json", SpanOf(config, "\"unknownSetting\"")));
        await test.RunAsync();
    }

    [Fact]
    public async Task ExportThatConflictsWithTheConfiguration_Reports()
    {
        const string conflicting = "{ \"_id\": \"trello.boards\", \"key\": { \"name\": 1 } }";
        const string agreeing = "{ \"_id\": \"trello.boards\", \"key\": { \"idWorkspace\": 1 } }";

        var test = new QueryGuardTest { Source = Source, ComparedRuleIds = new[] { RuleIdentifiers.InvalidConfiguration } };
        test.AdditionalFiles["queryguard.json"] = Valid;
        test.AdditionalFiles["prod.shardkeys.json"] = conflicting;
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.InvalidConfiguration).InFile("prod.shardkeys.json", SpanOf(conflicting, "\"trello.boards\""))
            .WithMessage("The shard key of 'boards' in this export ({ name: 1 }) conflicts with its declaration ({ idWorkspace: 1 })"));
        await test.RunAsync();

        var twin = new QueryGuardTest { Source = Source, ComparedRuleIds = new[] { RuleIdentifiers.InvalidConfiguration } };
        twin.AdditionalFiles["queryguard.json"] = Valid;
        twin.AdditionalFiles["prod.shardkeys.json"] = agreeing;
        await twin.RunAsync();
    }

    [Theory]
    [InlineData("{ \"_id\": \"boards\", \"key\": { \"a\": 1 } }", "\"boards\"")]
    [InlineData("{ \"_id\": \"trello.boards\" }", "{")]
    [InlineData("[ { \"_id\": \"trello.boards\", \"key\": { \"a\": \"ranged\" } } ]", "\"ranged\"")]
    [InlineData("this is not json", "t")]
    public async Task MalformedExport_Reports_AndAWellFormedOneDoesNot(string export, string at)
    {
        var test = new QueryGuardTest { Source = Source, ComparedRuleIds = new[] { RuleIdentifiers.InvalidConfiguration } };
        test.AdditionalFiles["cluster.shardkeys.json"] = export;
        var span = at == "\"boards\"" ? new TextSpan(export.IndexOf('{'), 1) : SpanOf(export, at);
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.InvalidConfiguration).InFile("cluster.shardkeys.json", at == "t" ? new TextSpan(0, 1) : span));
        await test.RunAsync();

        var twin = new QueryGuardTest { Source = Source, ComparedRuleIds = new[] { RuleIdentifiers.InvalidConfiguration } };
        twin.AdditionalFiles["cluster.shardkeys.json"] = "[ { \"_id\": \"trello.boards\", \"key\": { \"a\": 1 } } ]";
        await twin.RunAsync();
    }

    [Fact]
    public async Task AttributeNamingAMissingMember_ReportsAtTheAttribute()
    {
        const string attributes = """

            namespace QueryGuard
            {
                [System.Diagnostics.Conditional("QUERYGUARD_ATTRIBUTES")]
                internal sealed class ShardKeyAttribute : System.Attribute { public ShardKeyAttribute(params string[] fields) { } public bool Hashed { get; set; } }
                [System.Diagnostics.Conditional("QUERYGUARD_ATTRIBUTES")]
                internal sealed class ScopeKeyAttribute : System.Attribute { public ScopeKeyAttribute(string field) { } }
            }
            namespace Trello
            {
                [{|#0:QueryGuard.ShardKey("UserIdd")|}, {|#1:QueryGuard.ScopeKey("Tenant")|}]
                public class Device { public string Id { get; set; } = ""; public string UserId { get; set; } = ""; }
                [QueryGuard.ShardKey("UserId"), QueryGuard.ScopeKey("UserId")]
                public class Phone { public string Id { get; set; } = ""; public string UserId { get; set; } = ""; }
            }
            """;
        var test = new QueryGuardTest { Source = Source + attributes, ComparedRuleIds = new[] { RuleIdentifiers.InvalidConfiguration } };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.InvalidConfiguration).WithLocation(0).WithMessage("[ShardKey] on 'Device' names 'UserIdd', which is not a property or field of 'Device'"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.InvalidConfiguration).WithLocation(1).WithMessage("[ScopeKey] on 'Device' names 'Tenant', which is not a property or field of 'Device'"));
        await test.RunAsync();
    }

    /// <summary>Found by the attribute mutation test: a null array argument threw NullReferenceException (AD0001).</summary>
    [Theory]
    [InlineData("null")]
    [InlineData("default")]
    [InlineData("(string[])null")]
    public async Task ShardKeyWithANullArray_NamesNoField(string argument)
    {
        var attributes = $$"""
            namespace Trello
            {
                [{|#0:QueryGuard.ShardKey({{argument}})|}]
                public class Device { public string Id { get; set; } = ""; }
            }
            """;
        var test = new QueryGuardTest { Source = Source + ShardKeyAttributeDeclaration + attributes, ComparedRuleIds = new[] { RuleIdentifiers.InvalidConfiguration } };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.InvalidConfiguration).WithLocation(0).WithMessage("[ShardKey] on 'Device' names no field"));
        await test.RunAsync();
    }

    [Fact]
    public async Task AttributeWithATypo_OnADeclaredType_IsReportedOnce()
    {
        const string attributes = """
            namespace Trello
            {
                [{|#0:QueryGuard.ShardKey("Nmae")|}]
                public class Account { public string Id { get; set; } = ""; public string Name { get; set; } = ""; }
            }
            """;
        var config = Valid.Replace("\"collections\": {", "\"collections\": { \"accounts\": { \"documentType\": \"Trello.Account\", \"shardKey\": { \"name\": 1 } },");
        var test = new QueryGuardTest { Source = Source + ShardKeyAttributeDeclaration + attributes, ComparedRuleIds = new[] { RuleIdentifiers.InvalidConfiguration } };
        test.AdditionalFiles["queryguard.json"] = config;
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.InvalidConfiguration).WithLocation(0)
            .WithMessage("[ShardKey] on 'Account' names 'Nmae', which is not a property or field of 'Account'"));
        await test.RunAsync();
    }

    [Fact]
    public async Task AttributeThatConflictsWithTheConfiguration_Reports()
    {
        const string attributes = """
            namespace Trello
            {
                [{|#0:QueryGuard.ShardKey("Name")|}]
                public class Account { public string Id { get; set; } = ""; public string Name { get; set; } = ""; }
                [QueryGuard.ShardKey("Name")]
                public class Profile { public string Id { get; set; } = ""; public string Name { get; set; } = ""; }
            }
            """;
        var config = Valid.Replace("\"collections\": {", "\"collections\": { \"accounts\": { \"documentType\": \"Trello.Account\", \"shardKey\": { \"_id\": 1 } }, \"profiles\": { \"documentType\": \"Trello.Profile\", \"shardKey\": { \"name\": 1 } },");
        var test = new QueryGuardTest { Source = Source + ShardKeyAttributeDeclaration + attributes, ComparedRuleIds = new[] { RuleIdentifiers.InvalidConfiguration } };
        test.AdditionalFiles["queryguard.json"] = config;
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.InvalidConfiguration).WithLocation(0)
            .WithMessage("[ShardKey] on 'Account' ('name') conflicts with the shard key of 'accounts' in queryguard.json ('_id')"));
        await test.RunAsync();
    }

    [Fact]
    public async Task WithoutMongoDriver_FileErrorsAreStillReported()
    {
        var test = new QueryGuardTest { Source = "public class C { }", Driver = null };
        test.AdditionalFiles["queryguard.json"] = "{ \"bogus\": 1 }";
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.InvalidConfiguration).InFile("queryguard.json", new TextSpan(2, 7)));
        await test.RunAsync();
    }

    private static string ReplaceFirst(string text, string original, string replacement)
    {
        var index = text.IndexOf(original, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{original}' is not in the configuration");
        return text.Substring(0, index) + replacement + text.Substring(index + original.Length);
    }

    /// <summary>The span of the last occurrence of <paramref name="fragment"/>, where the error is expected.</summary>
    private static TextSpan SpanOf(string text, string fragment)
    {
        var index = text.LastIndexOf(fragment, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{fragment}' is not in the text");
        return new TextSpan(index, fragment.Length);
    }
}
