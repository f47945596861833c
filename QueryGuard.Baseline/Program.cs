using QueryGuard.Baseline;

// dotnet QueryGuard.Baseline.dll --output <queryguard.baseline.json> --sarif <log.sarif> [--sarif <log2.sarif>] [--project-dir <dir>]
// Run by the package's QueryGuardUpdateBaseline target after the compile; see docs/baseline.md.
return BaselineTool.Run(args, Console.Out, Console.Error);

namespace QueryGuard.Baseline
{
    internal static class BaselineTool
    {
        public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
        {
            var sarifPaths = new List<string>();
            string? outputPath = null;
            string? projectDirectory = null;
            for (var i = 0; i < args.Count; i++)
            {
                var value = i + 1 < args.Count ? args[i + 1] : null;
                switch (args[i])
                {
                    case "--sarif" when value is not null:
                        sarifPaths.Add(value);
                        i++;
                        break;
                    case "--output" when value is not null:
                        outputPath = value;
                        i++;
                        break;
                    case "--project-dir" when value is not null:
                        projectDirectory = value;
                        i++;
                        break;
                    default:
                        return Fail(error, $"unexpected argument '{args[i]}'. Usage: QueryGuard.Baseline --output <queryguard.baseline.json> --sarif <log.sarif> [--project-dir <dir>]");
                }
            }

            if (outputPath is null || sarifPaths.Count == 0)
            {
                return Fail(error, "--output and at least one --sarif are required");
            }

            var logs = new List<string>();
            foreach (var path in sarifPaths)
            {
                if (!File.Exists(path))
                {
                    return Fail(error, $"the compiler's error log '{path}' was not written; the baseline was not changed");
                }

                logs.Add(File.ReadAllText(path));
            }

            IReadOnlyList<BaselineEntry> entries;
            try
            {
                entries = SarifBaseline.Read(logs, projectDirectory);
            }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
            {
                return Fail(error, $"cannot read the compiler's error log: {e.Message}; the baseline was not changed");
            }

            var previous = File.Exists(outputPath) ? SarifBaseline.ReadKeys(File.ReadAllText(outputPath)) : new HashSet<(string, string)>();
            var current = entries.Select(e => (e.Rule, e.Fingerprint)).ToHashSet();
            // Written beside the target and renamed over it: a reader (or a parallel build) never sees half a file.
            var temporary = outputPath + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
            File.WriteAllText(temporary, SarifBaseline.Write(entries));
            File.Move(temporary, outputPath, overwrite: true);
            output.WriteLine($"QueryGuard: recorded {entries.Count} finding(s) in {outputPath} ({current.Count(k => !previous.Contains(k))} new, {previous.Count(k => !current.Contains(k))} no longer found).");
            return 0;
        }

        private static int Fail(TextWriter error, string message)
        {
            // The canonical error format, so MSBuild's Exec reports it as a build error.
            error.WriteLine($"QueryGuard.Baseline : error QGBUILD03: {message}");
            return 1;
        }
    }
}
