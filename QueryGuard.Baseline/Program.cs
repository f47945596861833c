using QueryGuard.Baseline;

// dotnet QueryGuard.Baseline.dll --output <queryguard.baseline.json> --sarif <log.sarif> [--sarif <log2.sarif>] [--project-dir <dir>]
//                                [--part <this-framework.json> --merge <framework1.json> --merge <framework2.json> ...]
// Run by the package's QueryGuardUpdateBaseline target after the compile; see docs/baseline.md. A project with several
// target frameworks compiles once per framework: each compile stores its findings in its --part and the baseline is
// the union of the parts of every framework the project targets (--merge), written under a lock.
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
            string? partPath = null;
            var mergePaths = new List<string>();
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
                    case "--part" when value is not null:
                        partPath = value;
                        i++;
                        break;
                    case "--merge" when value is not null:
                        mergePaths.Add(value);
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

            if (partPath is null)
            {
                Replace(outputPath, entries, output);
                return 0;
            }

            // One framework of several: keep this compile's findings, then rewrite the baseline from every
            // framework's latest findings. The lock serialises the frameworks' compiles, which run in parallel; the
            // last one to finish sees every part of this build.
            WriteAtomically(partPath, SarifBaseline.Write(entries));
            // The lock file stays next to the parts (in obj/): deleting it on close would let two builds lock two files.
            using (AcquireLock(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(partPath))!, "queryguard.baseline.lock")))
            {
                var merged = mergePaths.Append(partPath).Distinct(StringComparer.Ordinal).Where(File.Exists)
                    .SelectMany(path => SarifBaseline.ReadEntries(File.ReadAllText(path)));
                Replace(outputPath, SarifBaseline.Normalize(merged), output);
            }

            return 0;
        }

        private static void Replace(string outputPath, IReadOnlyList<BaselineEntry> entries, TextWriter output)
        {
            var previous = File.Exists(outputPath) ? SarifBaseline.ReadKeys(File.ReadAllText(outputPath)) : new HashSet<(string, string)>();
            var current = entries.Select(e => (e.Rule, e.Fingerprint)).ToHashSet();
            WriteAtomically(outputPath, SarifBaseline.Write(entries));
            output.WriteLine($"QueryGuard: recorded {entries.Count} finding(s) in {outputPath} ({current.Count(k => !previous.Contains(k))} new, {previous.Count(k => !current.Contains(k))} no longer found).");
        }

        /// <summary>Written beside the target and renamed over it: a reader (or a parallel build) never sees half a file.</summary>
        private static void WriteAtomically(string path, string content)
        {
            var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
            File.WriteAllText(temporary, content);
            File.Move(temporary, path, overwrite: true);
        }

        private static FileStream AcquireLock(string path)
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (true)
            {
                try
                {
                    return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(100);
                }
            }
        }

        private static int Fail(TextWriter error, string message)
        {
            // The canonical error format, so MSBuild's Exec reports it as a build error.
            error.WriteLine($"QueryGuard.Baseline : error QGBUILD03: {message}");
            return 1;
        }
    }
}
