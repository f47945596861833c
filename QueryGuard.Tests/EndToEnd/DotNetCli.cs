using System.Diagnostics;
using System.Text;

namespace QueryGuard.Tests.EndToEnd;

/// <summary>What a <c>dotnet</c> child process did: its command, exit code and merged stdout/stderr.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output, TimeSpan Elapsed)
{
    public override string ToString() => $"'{Command}' exited with {ExitCode} after {Elapsed.TotalSeconds:F1}s. Output:\n{Output}";
}

/// <summary>
/// Runs the .NET CLI as a child process the way a user does, with a hard time limit. The child gets a clean
/// MSBuild environment (no variables inherited from the <c>dotnet test</c> that runs us), English messages, and
/// no MSBuild node reuse so no build process outlives the test run.
/// </summary>
public static class DotNetCli
{
    private static readonly string[] InheritedMSBuildVariables =
    {
        "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly",
        "MSBUILDNOINPROCNODE", "_MSBUILDTLENABLED", "VSTEST_HOST_DEBUG", "VSTEST_RUNNER_DEBUG",
    };

    public static string Executable { get; } = FindDotNet();

    public static CommandResult Run(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        RunProgram(Executable, workingDirectory, timeout, environment, arguments);

    /// <summary>Any program (a script that itself runs <c>dotnet</c>) with the same clean environment and time limit.</summary>
    public static CommandResult RunProgram(string program, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var name in InheritedMSBuildVariables)
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        startInfo.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        startInfo.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var command = (program == Executable ? "dotnet" : program) + " " + string.Join(' ', arguments);
        var output = new StringBuilder();
        // Not disposed: a stream may close after we stop waiting for it (see below) and still signal.
        var streamsClosed = new CountdownEvent(2);
        void Append(string? line)
        {
            if (line is null)
            {
                streamsClosed.Signal();
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit(timeout))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited just now.
            }

            streamsClosed.Wait(TimeSpan.FromSeconds(10));
            lock (output)
            {
                throw new TimeoutException($"'{command}' did not finish within {timeout.TotalSeconds:F0}s and was stopped. Output so far:\n{output}");
            }
        }

        // A grandchild that inherited the pipes could keep them open; do not wait for it beyond a few seconds.
        streamsClosed.Wait(TimeSpan.FromSeconds(15));
        lock (output)
        {
            return new CommandResult(command, process.ExitCode, output.ToString(), stopwatch.Elapsed);
        }
    }

    private static string FindDotNet()
    {
        // The test host normally runs under the same dotnet that built us.
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(hostPath) && File.Exists(hostPath) ? hostPath : "dotnet";
    }
}
