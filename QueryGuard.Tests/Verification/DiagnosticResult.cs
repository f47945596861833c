using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace QueryGuard.Tests.Verification;

/// <summary>An expected diagnostic: its ID, where (a marked location or a span), and optionally its message.</summary>
public sealed record DiagnosticResult(string Id)
{
    public int? MarkupLocation { get; init; }

    public TextSpan? Span { get; init; }

    public string? Path { get; init; }

    public object[]? Arguments { get; init; }

    public string? Message { get; init; }

    public DiagnosticSeverity? Severity { get; init; }

    /// <summary>At the span marked <c>{|#index:…|}</c>.</summary>
    public DiagnosticResult WithLocation(int index) => this with { MarkupLocation = index };

    public DiagnosticResult WithSpan(TextSpan span) => this with { Span = span };

    /// <summary>In an additional file (such as queryguard.json) rather than the test source.</summary>
    public DiagnosticResult InFile(string path, TextSpan span) => this with { Path = path, Span = span };

    /// <summary>The message is the descriptor's format with these arguments.</summary>
    public DiagnosticResult WithArguments(params object[] arguments) => this with { Arguments = arguments };

    /// <summary>The whole message, exactly.</summary>
    public DiagnosticResult WithMessage(string message) => this with { Message = message };

    public DiagnosticResult WithSeverity(DiagnosticSeverity severity) => this with { Severity = severity };

    public override string ToString() =>
        $"{Id}{(Path is null ? string.Empty : " in " + Path)}{(Span is { } s ? " at " + s : MarkupLocation is { } l ? " at #" + l : string.Empty)}"
        + (Message is null ? string.Empty : $" \"{Message}\"")
        + (Arguments is null ? string.Empty : $" ({string.Join(", ", Arguments)})");
}
