using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace QueryGuard.Tests.Verification;

public enum DriverVersion
{
    /// <summary>MongoDB.Driver 3.14.0 (Core merged into the driver; MongoDB.Bson signed).</summary>
    V3,

    /// <summary>MongoDB.Driver 2.22.0 (separate MongoDB.Driver.Core; all unsigned).</summary>
    V2,
}

/// <summary>
/// The references of a test compilation: the .NET reference pack, the real MongoDB.Driver.dll from the NuGet
/// folder (fetched by PackageDownload, without dependencies), and stand-ins for the driver's dependencies that
/// tests touch, emitted once per process with the identity the driver expects.
/// </summary>
public static class ReferenceAssemblies
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new(LoadFramework);
    private static readonly Lazy<ImmutableArray<MetadataReference>> Driver3 = new(() => LoadDriver(DriverVersion.V3));
    private static readonly Lazy<ImmutableArray<MetadataReference>> Driver2 = new(() => LoadDriver(DriverVersion.V2));

    public static ImmutableArray<MetadataReference> NetFramework => Framework.Value;

    public static ImmutableArray<MetadataReference> For(DriverVersion? driver) => driver switch
    {
        null => Framework.Value,
        DriverVersion.V3 => Framework.Value.AddRange(Driver3.Value),
        _ => Framework.Value.AddRange(Driver2.Value),
    };

    public static string DriverPath(DriverVersion version) => Metadata(version == DriverVersion.V3 ? "Driver3Path" : "Driver2Path");

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    private static ImmutableArray<MetadataReference> LoadFramework()
    {
        var directory = Metadata("NetCoreRefPath");
        if (!Directory.Exists(directory))
        {
            // Fall back to the running framework's implementation assemblies.
            directory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        }

        return Directory.GetFiles(directory, "*.dll")
            .Where(IsManagedAssembly)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }

    private static ImmutableArray<MetadataReference> LoadDriver(DriverVersion version)
    {
        var driverPath = DriverPath(version);
        if (!File.Exists(driverPath))
        {
            throw new InvalidOperationException($"MongoDB.Driver.dll not found at {driverPath}: run 'dotnet restore' (PackageDownload fetches it).");
        }

        var driver = MetadataReference.CreateFromFile(driverPath);
        var (bsonVersion, publicKey) = ReadBsonIdentity(driverPath);
        var bson = EmitStandIn("MongoDB.Bson", "MongoDB.Bson.standin.txt", bsonVersion, publicKey, ImmutableArray<MetadataReference>.Empty);
        if (version == DriverVersion.V3)
        {
            return ImmutableArray.Create<MetadataReference>(driver, bson);
        }

        var core = EmitStandIn("MongoDB.Driver.Core", "MongoDB.Driver.Core.standin.txt", bsonVersion, ImmutableArray<byte>.Empty, ImmutableArray.Create(bson));
        return ImmutableArray.Create<MetadataReference>(driver, bson, core);
    }

    /// <summary>
    /// The version MongoDB.Driver.dll expects of MongoDB.Bson, and the key to public-sign the stand-in with: the
    /// driver's own public key (both are signed with the same key in 3.x; 2.x is unsigned).
    /// </summary>
    private static (string Version, ImmutableArray<byte> PublicKey) ReadBsonIdentity(string driverPath)
    {
        using var stream = File.OpenRead(driverPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var definition = reader.GetAssemblyDefinition();
        var publicKey = reader.GetBlobContent(definition.PublicKey);
        foreach (var handle in reader.AssemblyReferences)
        {
            var reference = reader.GetAssemblyReference(handle);
            if (reader.GetString(reference.Name) == "MongoDB.Bson")
            {
                var hasToken = !reference.PublicKeyOrToken.IsNil && reader.GetBlobContent(reference.PublicKeyOrToken).Length > 0;
                return (reference.Version.ToString(), hasToken ? publicKey : ImmutableArray<byte>.Empty);
            }
        }

        throw new InvalidOperationException($"{driverPath} does not reference MongoDB.Bson.");
    }

    private static MetadataReference EmitStandIn(string assemblyName, string resource, string version, ImmutableArray<byte> publicKey, ImmutableArray<MetadataReference> references)
    {
        var source = ReadResource(resource).Replace("$VERSION$", version, StringComparison.Ordinal);
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable);
        if (!publicKey.IsEmpty)
        {
            options = options.WithCryptoPublicKey(publicKey).WithPublicSign(true);
        }

        var compilation = CSharpCompilation.Create(
            assemblyName,
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) },
            Framework.Value.AddRange(references),
            options);
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException($"The {assemblyName} stand-in does not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return MetadataReference.CreateFromImage(image.ToArray());
    }

    private static string ReadResource(string name)
    {
        var assembly = typeof(ReferenceAssemblies).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(name, StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    }

    private static string Metadata(string key) =>
        typeof(ReferenceAssemblies).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            return pe.HasMetadata && pe.GetMetadataReader().IsAssembly;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
