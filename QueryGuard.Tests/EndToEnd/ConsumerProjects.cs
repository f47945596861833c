namespace QueryGuard.Tests.EndToEnd;

/// <summary>
/// The projects a QueryGuard user would write, created fresh in a temporary folder for every test run. They
/// reference QueryGuard only as a package from the local feed, and MongoDB.Driver the way the sample does
/// (PackageDownload + the DLL: the registry copy lacks the driver's dependencies).
/// </summary>
public static class ConsumerProjects
{
    public const string DriverVersion = "3.14.0";

    /// <summary>A service with one unscoped write and one broadcast read, each next to its safe twin.</summary>
    public const string StoreSource = """
        using MongoDB.Driver;

        namespace Consumer;

        public sealed class Doc
        {
            public string Id { get; set; } = "";
            public string Name { get; set; } = "";
        }

        public sealed class Customer
        {
            public string Id { get; set; } = "";
            public string TenantId { get; set; } = "";
            public string Name { get; set; } = "";
        }

        public sealed class Store
        {
            private readonly IMongoCollection<Doc> _docs;
            private readonly IMongoCollection<Customer> _customers;

            public Store(IMongoDatabase database)
            {
                _docs = database.GetCollection<Doc>("docs");
                _customers = database.GetCollection<Customer>("customers");
            }

            // QG1001: the empty filter deletes every document of the collection.
            public DeleteResult DeleteDoc(string id) => _docs.DeleteMany(Builders<Doc>.Filter.Empty);

            // Safe twin: the filter names the document.
            public DeleteResult DeleteDocById(string id) => _docs.DeleteMany(Builders<Doc>.Filter.Eq(x => x.Id, id));

            // QG2001: customers are sharded on tenantId, so a lookup by name alone goes to every shard.
            public List<Customer> FindCustomers(string name) => _customers.Find(x => x.Name == name).ToList();

            // Safe twin: the lookup pins the shard key.
            public List<Customer> FindTenantCustomers(string tenantId, string name) => _customers.Find(x => x.TenantId == tenantId && x.Name == name).ToList();
        }
        """;

    /// <summary>A finding in every target framework and one under <c>#if NET10_0</c>.</summary>
    public const string MultiTargetSource = """
        using MongoDB.Driver;

        namespace Consumer;

        public sealed class Doc
        {
            public string Id { get; set; } = "";
        }

        public sealed class Store
        {
            private readonly IMongoCollection<Doc> _docs;

            public Store(IMongoDatabase database) => _docs = database.GetCollection<Doc>("docs");

            public DeleteResult DeleteDoc(string id) => _docs.DeleteMany(Builders<Doc>.Filter.Empty);
        #if NET10_0
            public DeleteResult DeleteAllOnNet10() => _docs.DeleteMany(FilterDefinition<Doc>.Empty);
        #endif
        }
        """;

    /// <summary>Where each finding of <see cref="StoreSource"/> is reported: the filter argument (RULES.md).</summary>
    public const string UnscopedDeleteFilter = "Builders<Doc>.Filter.Empty";

    public const string BroadcastFindFilter = "x => x.Name == name";

    public const string StoreConfig = """
        {
          "elementNameConvention": "camelCase",
          "collections": {
            "customers": { "documentType": "Consumer.Customer", "shardKey": { "tenantId": 1 } }
          }
        }
        """;

    /// <summary>1-based line and column of the first occurrence of <paramref name="text"/>, as the compiler prints them.</summary>
    public static (int Line, int Column) Locate(string source, string text)
    {
        var index = source.IndexOf(text, StringComparison.Ordinal);
        if (index < 0 || source.IndexOf(text, index + 1, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException($"'{text}' must occur exactly once in the source.", nameof(text));
        }

        var before = source[..index];
        var line = before.Count(c => c == '\n') + 1;
        var column = index - (before.LastIndexOf('\n') + 1) + 1;
        return (line, column);
    }

    /// <summary>Writes the feed configuration and every consumer project under <paramref name="root"/>.</summary>
    public static void Write(string root, string feed, string queryGuardVersion)
    {
        // Stop MSBuild, NuGet and .editorconfig lookups from reaching files above the temporary folder.
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), """
            <Project>
              <PropertyGroup>
                <ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, ".editorconfig"), "root = true\n");

        // The just-packed QueryGuard may only come from the local feed, never from a registry or an older cache.
        File.WriteAllText(Path.Combine(root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="packages" />
              </config>
              <packageSources>
                <clear />
                <add key="queryguard-local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="queryguard-local">
                  <package pattern="QueryGuard" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);

        var projects = new[] { "Consumer", "Fixable", "Baselined", "MultiTarget", "Settings", "Lib", "App" };
        File.WriteAllText(Path.Combine(root, "e2e.slnx"),
            "<Solution>\n" + string.Concat(projects.Select(p => $"  <Project Path=\"{p}/{p}.csproj\" />\n")) + "</Solution>\n");

        // Consumer: the findings. Fixable: an identical copy that dotnet format may change. Baselined: another copy
        // whose baseline is recorded and whose source is edited (BaselineEndToEndTests).
        foreach (var name in new[] { "Consumer", "Fixable", "Baselined" })
        {
            var directory = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
            File.WriteAllText(Path.Combine(directory, name + ".csproj"), MongoProject(queryGuardVersion));
            File.WriteAllText(Path.Combine(directory, "Store.cs"), StoreSource);
            File.WriteAllText(Path.Combine(directory, "queryguard.json"), StoreConfig);
        }

        // MultiTarget: two target frameworks, one finding in both and one only in net10.0 (BaselineEndToEndTests).
        var multiTarget = Directory.CreateDirectory(Path.Combine(root, "MultiTarget")).FullName;
        File.WriteAllText(Path.Combine(multiTarget, "MultiTarget.csproj"), MongoProject(queryGuardVersion).Replace("<TargetFramework>net10.0</TargetFramework>", "<TargetFrameworks>net8.0;net10.0</TargetFrameworks>", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(multiTarget, "Store.cs"), MultiTargetSource);

        // Settings: only evaluated, to see which files and presets the package hands to the compiler.
        var settings = Directory.CreateDirectory(Path.Combine(root, "Settings")).FullName;
        File.WriteAllText(Path.Combine(settings, "Settings.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="QueryGuard" Version="{queryGuardVersion}" PrivateAssets="all" />
              </ItemGroup>
              <ItemGroup Condition="'$(AddConfigByHand)' == 'true'">
                <AdditionalFiles Include="queryguard.json" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(settings, "queryguard.json"), StoreConfig);
        Directory.CreateDirectory(Path.Combine(settings, "config"));
        File.WriteAllText(Path.Combine(settings, "config", "sharding.json"), StoreConfig);
        File.WriteAllText(Path.Combine(settings, "cluster.shardkeys.json"), """[ { "_id": "app.customers", "key": { "tenantId": 1 } } ]""");
        File.WriteAllText(Path.Combine(settings, "config", "accepted.json"), """{ "version": 1, "findings": [] }""");

        // Lib and App: two projects that both use the attributes, App sees Lib's internals.
        var lib = Directory.CreateDirectory(Path.Combine(root, "Lib")).FullName;
        File.WriteAllText(Path.Combine(lib, "Lib.csproj"), AttributeProject(queryGuardVersion, """
              <ItemGroup>
                <InternalsVisibleTo Include="App" />
              </ItemGroup>
            """));
        File.WriteAllText(Path.Combine(lib, "Board.cs"), """
            namespace Lib;

            [QueryGuard.ShardKey("WorkspaceId", Hashed = true)]
            [QueryGuard.ScopeKey("WorkspaceId")]
            public sealed class Board
            {
                public string WorkspaceId { get; set; } = "";
            }
            """);
        var app = Directory.CreateDirectory(Path.Combine(root, "App")).FullName;
        File.WriteAllText(Path.Combine(app, "App.csproj"), AttributeProject(queryGuardVersion, """
              <ItemGroup>
                <ProjectReference Include="../Lib/Lib.csproj" />
              </ItemGroup>
            """));
        File.WriteAllText(Path.Combine(app, "Card.cs"), """
            namespace App;

            [QueryGuard.ShardKey("BoardId", "Id")]
            [QueryGuard.ScopeKey("WorkspaceId")]
            public sealed class Card
            {
                public string Id { get; set; } = "";
                public string BoardId { get; set; } = "";
                public string WorkspaceId { get; set; } = "";
                public Lib.Board? Board { get; set; }
            }
            """);
    }

    private static string MongoProject(string queryGuardVersion) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="QueryGuard" Version="{queryGuardVersion}" PrivateAssets="all" />
            <PackageDownload Include="MongoDB.Driver" Version="[{DriverVersion}]" />
            <Reference Include="MongoDB.Driver" HintPath="$([MSBuild]::EnsureTrailingSlash('$(NuGetPackageRoot)'))mongodb.driver/{DriverVersion}/lib/net6.0/MongoDB.Driver.dll" />
          </ItemGroup>
        </Project>
        """;

    private static string AttributeProject(string queryGuardVersion, string extraItems) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="QueryGuard" Version="{queryGuardVersion}" PrivateAssets="all" />
          </ItemGroup>
        {extraItems}
        </Project>
        """;
}
