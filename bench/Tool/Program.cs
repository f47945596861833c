using QueryGuard.Bench;

// qg-bench generate --out DIR --files N --sites N [--no-driver] [--driver-path PATH] [--shape NAME]
//   (--shape: every site in one shape, for profiling one shape with bench/InProcess; run.sh never passes it)
// qg-bench report --logs DIR
var command = args.Length > 0 ? args[0] : "";
string Option(string name, string? fallback = null)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback ?? throw new ArgumentException($"missing {name}");
}

try
{
    return command switch
    {
        "generate" => Generator.Generate(Option("--out"), int.Parse(Option("--files")), int.Parse(Option("--sites")), !args.Contains("--no-driver"), Option("--driver-path", ""), args.Contains("--shape") ? Option("--shape") : null),
        "report" => Report.Run(Option("--logs")),
        _ => Usage(),
    };
}
catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException)
{
    Console.Error.WriteLine("qg-bench: " + e.Message);
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("usage: qg-bench generate --out DIR --files N --sites N [--no-driver] [--driver-path PATH] | report --logs DIR");
    return 2;
}
