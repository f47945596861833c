using Microsoft.CodeAnalysis.CodeFixes;

namespace QueryGuard.Tests.Verification;

/// <summary>Short forms for the common cases: one rule's diagnostics, or its absence, or one fix.</summary>
public sealed class Verify
{
    private readonly string _ruleId;

    /// <param name="ruleId">The rule under test: <c>[|…|]</c> means this rule, and only this rule is compared.</param>
    public Verify(string ruleId) => _ruleId = ruleId;

    public static DiagnosticResult Diagnostic(string id) => new(id);

    public QueryGuardTest Test(string source, DriverVersion driver = DriverVersion.V3) => new()
    {
        Source = source,
        DefaultRuleId = _ruleId,
        ComparedRuleIds = new[] { _ruleId },
        Driver = driver,
    };

    /// <summary>The source's markup lists exactly the diagnostics of the rule.</summary>
    public Task DiagnosticsAsync(string source, DriverVersion driver = DriverVersion.V3, string? config = null)
    {
        var test = Test(source, driver);
        if (config is not null)
        {
            test.AdditionalFiles["queryguard.json"] = config;
        }

        return test.RunAsync();
    }

    /// <summary>The rule reports nothing on this source (which must have no markup).</summary>
    public Task NoDiagnosticsAsync(string source, DriverVersion driver = DriverVersion.V3, string? config = null)
    {
        if (TestMarkup.Parse(source).Spans.Count > 0)
        {
            throw new ArgumentException("A no-diagnostic source must not contain markup.", nameof(source));
        }

        return DiagnosticsAsync(source, driver, config);
    }

    /// <summary>Applying <typeparamref name="TFix"/> (one at a time and Fix All) turns source into fixedSource.</summary>
    public Task FixAsync<TFix>(string source, string fixedSource, string? equivalenceKey = null, int index = 0, string? config = null)
        where TFix : CodeFixProvider, new()
    {
        var test = Test(source);
        test.CodeFix = new TFix();
        test.FixedSource = fixedSource;
        test.CodeActionEquivalenceKey = equivalenceKey;
        test.CodeActionIndex = index;
        if (config is not null)
        {
            test.AdditionalFiles["queryguard.json"] = config;
        }

        return test.RunAsync();
    }
}
