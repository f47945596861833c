using QueryGuard.Tests.Verification;

namespace QueryGuard.Tests.Rules;

/// <summary>
/// The project the unscoped-write tests run in: a <c>sessions</c> collection of <c>Session</c> documents and one
/// method whose body each test supplies, with the values a write usually has at hand.
/// </summary>
internal static class WriteTestSource
{
    public const string Header = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using MongoDB.Bson;
        using MongoDB.Driver;

        public class Session
        {
            public string Id { get; set; } = "";
            public string UserId { get; set; } = "";
            public string? TenantId { get; set; }
            public bool Revoked { get; set; }
            public DateTime Expires { get; set; }
            public int? Version { get; set; }
        }

        public class ArchivedSession : Session { }

        public class Request
        {
            public string? TenantId { get; set; }
            public string SessionId { get; set; } = "";
        }

        """;

    /// <summary>Wraps <paramref name="body"/> in <c>SessionStore.Run</c>.</summary>
    public static string Wrap(string body) => Header + """
        public class SessionStore
        {
            private readonly IMongoCollection<Session> _sessions;
            private readonly IMongoClient _client;
            private readonly string? _tenantId;

            public SessionStore(IMongoDatabase database, IMongoClient client, string? tenantId)
            {
                _sessions = database.GetCollection<Session>("sessions");
                _client = client;
                _tenantId = tenantId;
            }

            public async Task Run(
                IClientSessionHandle handle, string id, string? tenantId, int? version, List<string> ids, DateTime now,
                UpdateDefinition<Session> update, Session replacement, Request request, FilterDefinition<Session> given)
            {
        """ + "\n" + Indent(body) + "\n" + """
                await Task.CompletedTask;
            }

            private static string? FindTenant() => null;
        }
        """;

    /// <summary>A small store for code-fix tests: <paramref name="parameters"/> and <paramref name="body"/> decide what is in scope.</summary>
    public static string Store(string parameters, string body) => Header + """
        public class Store
        {
            private readonly IMongoCollection<Session> _sessions;
            private string? _tenantId;

            public Store(IMongoDatabase database) => _sessions = database.GetCollection<Session>("sessions");

            public void Write(
        """ + parameters + ")\n    {\n" + Indent(body) + "\n" + """
            }
        }
        """;

    private static string Indent(string body) =>
        string.Join("\n", body.Replace("\r\n", "\n").Split('\n').Select(line => line.Length == 0 ? line : "        " + line));

    /// <summary>Exactly one diagnostic of <paramref name="ruleId"/>, at <c>{|#0:…|}</c>, with these message arguments.</summary>
    public static Task ReportsAsync(string ruleId, string body, DriverVersion driver, params object[] arguments)
    {
        var test = new QueryGuardTest
        {
            Source = Wrap(body),
            Driver = driver,
            ComparedRuleIds = new[] { ruleId },
        };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(ruleId).WithLocation(0).WithArguments(arguments));
        return test.RunAsync();
    }

    /// <summary><paramref name="ruleId"/> reports nothing on this body.</summary>
    public static Task NoDiagnosticAsync(string ruleId, string body, DriverVersion driver = DriverVersion.V3) =>
        new Verify(ruleId).NoDiagnosticsAsync(Wrap(body), driver);
}

/// <summary>A positive case and its near-identical negative twin.</summary>
public sealed record WriteCase(string Name, string Operation, string Positive, string Twin, string Detail)
{
    public override string ToString() => Name;
}
