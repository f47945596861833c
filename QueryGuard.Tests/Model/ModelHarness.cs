using Microsoft.CodeAnalysis;
using QueryGuard.Driver;
using QueryGuard.Model;
using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.Model;

/// <summary>Compiles a snippet against the real driver and models the filter of its first MongoDB operation.</summary>
internal static class ModelHarness
{
    public const string Documents = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using MongoDB.Bson;
        using MongoDB.Bson.Serialization.Attributes;
        using MongoDB.Driver;

        public class Owner
        {
            public string Id { get; set; } = "";
            public string Name { get; set; } = "";
        }

        public class Workspace
        {
            public string Id { get; set; } = "";
            public string WorkspaceId { get; set; } = "";
            [BsonElement("tid")] public string TenantId { get; set; } = "";
            public string Name { get; set; } = "";
            public bool Deleted { get; set; }
            public int Size { get; set; }
            public int? Rank { get; set; }
            public DateTime CreatedAt { get; set; }
            public Owner Owner { get; set; } = new();
            public List<string> Tags { get; set; } = new();
        }

        public class Membership
        {
            [BsonId] public string Key { get; set; } = "";
            public string Id { get; set; } = "";
            public string MemberId { get; set; } = "";
        }
        """;

    /// <summary>The scenario with <paramref name="body"/> as the body of <c>Scenario.Run</c>.</summary>
    public static string Code(string body) => Documents + $$"""

            public class Scenario
            {
                public void Run(IMongoCollection<Workspace> coll, IMongoCollection<Membership> memberships, IMongoCollection<BsonDocument> raw,
                    string id, string? maybeId, List<string> ids, bool flag, DateTime now)
                {
                    var F = Builders<Workspace>.Filter;
                    {{body}}
                }
            }
            """;

    /// <summary>
    /// <paramref name="body"/> is the body of <c>void Run(...)</c> with locals <c>coll</c> (workspaces),
    /// <c>memberships</c>, <c>raw</c> (BsonDocument), <c>F</c> (the workspace filter builder), <c>id</c>,
    /// <c>maybeId</c> (string?), <c>ids</c> (List&lt;string&gt;), <c>flag</c>, <c>now</c>.
    /// </summary>
    public static async Task<FilterNode> ModelAsync(string body, NamingOptions? naming = null, DriverVersion driver = DriverVersion.V3)
    {
        var source = Code(body);
        var project = TestProject.Create(new[] { source }, driver);
        var compilation = (await project.GetCompilationAsync())!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The snippet does not compile:\n" + string.Join("\n", errors));

        var queryGuard = QueryGuardCompilation.TryCreate(compilation, QueryGuard.Configuration.QueryGuardConfiguration.Create(naming ?? NamingOptions.Default, []))!;
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            if (model.GetOperation(node) is { } operation && queryGuard.Operations.Recognize(operation) is { Filter: not null } mongo)
            {
                return queryGuard.Filters.Build(mongo.Filter, mongo.DocumentType);
            }
        }

        throw new Xunit.Sdk.XunitException("No MongoDB operation found in: " + body);
    }

    public static async Task<string> RenderAsync(string body, NamingOptions? naming = null, DriverVersion driver = DriverVersion.V3) =>
        (await ModelAsync(body, naming, driver)).ToString();
}
