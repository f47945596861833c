using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using QueryGuard.Driver;

namespace QueryGuard.Configuration;

/// <summary>
/// Everything declared for a compilation: <c>queryguard.json</c>, <c>*.shardkeys.json</c> exports (merged; a
/// conflict is QG0001), and, per document type, <c>[ShardKey]</c>/<c>[ScopeKey]</c> attributes. Files are parsed once
/// per content (cached by SourceText); checks against the compilation (does the document type exist?) run per
/// compilation. Nothing here throws on bad input: problems are <see cref="Errors"/>.
/// </summary>
internal sealed class QueryGuardConfiguration
{
    public const string FileName = "queryguard.json";
    public const string ExportSuffix = ".shardkeys.json";

    private static readonly SourceTextValueProvider<ConfigurationFile> ConfigurationFiles = new(text => ConfigurationFileReader.Read(string.Empty, text));
    private static readonly SourceTextValueProvider<ConfigurationFile> ExportFiles = new(text => ShardKeyExportReader.Read(string.Empty, text));

    private readonly Dictionary<string, CollectionDeclaration> _byName;
    private readonly Dictionary<string, CollectionDeclaration> _byType;

    private readonly ImmutableArray<ConfigurationFile> _files;

    private QueryGuardConfiguration(
        Version? minServerVersion,
        NamingOptions naming,
        Dictionary<string, CollectionDeclaration> byName,
        ImmutableArray<ConfigurationError> errors,
        ImmutableArray<ConfigurationFile> files = default)
    {
        _files = files.IsDefault ? ImmutableArray<ConfigurationFile>.Empty : files;
        MinServerVersion = minServerVersion;
        Naming = naming;
        _byName = byName;
        _byType = new Dictionary<string, CollectionDeclaration>(StringComparer.Ordinal);
        foreach (var declaration in byName.Values)
        {
            if (declaration.DocumentType is { } type && !_byType.ContainsKey(type))
            {
                _byType[type] = declaration;
            }
        }

        Errors = errors;
    }

    /// <summary>A configuration built in code (tests, tools).</summary>
    internal static QueryGuardConfiguration Create(NamingOptions naming, IEnumerable<CollectionDeclaration> collections, Version? minServerVersion = null) =>
        new(minServerVersion, naming, collections.ToDictionary(c => c.Name!, StringComparer.Ordinal), ImmutableArray<ConfigurationError>.Empty);

    public static QueryGuardConfiguration Empty { get; } = new(null, NamingOptions.Default, new Dictionary<string, CollectionDeclaration>(), ImmutableArray<ConfigurationError>.Empty);

    public Version? MinServerVersion { get; }

    public NamingOptions Naming { get; }

    public IReadOnlyCollection<CollectionDeclaration> Collections => _byName.Values;

    public ImmutableArray<ConfigurationError> Errors { get; }

    /// <summary>
    /// By the constant name in <c>GetCollection&lt;T&gt;("name")</c>; when no name is visible, by the declared
    /// document type. A visible name that is not declared is not matched by type: another collection of the same
    /// type (an archive, a staging copy) is not assumed to share the declared one's shard key.
    /// </summary>
    public CollectionDeclaration? Find(string? collectionName, ITypeSymbol documentType)
    {
        if (collectionName is not null)
        {
            return _byName.TryGetValue(collectionName, out var byName) ? byName : null;
        }

        return _byType.TryGetValue(TypeName(documentType), out var byType) ? byType : null;
    }

    /// <summary>The name <c>documentType</c> and <c>elementNames</c> use: the metadata name, <c>Namespace.Outer+Inner</c>.</summary>
    public static string TypeName(ITypeSymbol type)
    {
        type = type.OriginalDefinition;
        if (type.ContainingType is { } outer)
        {
            return TypeName(outer) + "+" + type.MetadataName;
        }

        // Namespace names joined by hand: this runs for every operation whose collection name is not visible, and
        // ToDisplayString goes through the symbol display machinery.
        var name = type.MetadataName;
        for (var ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            name = ns.Name + "." + name;
        }

        return name;
    }

    public static bool IsConfigurationFile(string path) => string.Equals(System.IO.Path.GetFileName(path), FileName, StringComparison.OrdinalIgnoreCase);

    private static bool SamePath(string a, string b) =>
        string.Equals(a.Replace('\\', '/'), b.Replace('\\', '/'), StringComparison.OrdinalIgnoreCase);

    public static bool IsExportFile(string path) => path.EndsWith(ExportSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Loads the configuration at compilation start; <paramref name="tryGetValue"/> is the start context's cached parse.
    /// <see cref="Errors"/> holds what the files themselves say; the checks against the compilation are
    /// <see cref="CheckAgainst"/>, run later.
    /// </summary>
    public static QueryGuardConfiguration Load(
        AnalyzerOptions options,
        TryGetCachedValue tryGetValue,
        CancellationToken cancellationToken)
    {
        // <QueryGuardConfig>path</QueryGuardConfig> (passed by the package's build props) names the file to read,
        // whatever its name; without it, the AdditionalFile named queryguard.json is the configuration.
        options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(ConfigPathProperty, out var configPath);
        return Load(options.AdditionalFiles, (text, provider) => tryGetValue(text, provider, out var file) ? file : null, cancellationToken, configPath);
    }

    public const string ConfigPathProperty = "build_property.QueryGuardConfigPath";

    public delegate bool TryGetCachedValue(SourceText text, SourceTextValueProvider<ConfigurationFile> provider, out ConfigurationFile? value);

    internal static QueryGuardConfiguration Load(
        ImmutableArray<AdditionalText> additionalFiles,
        Func<SourceText, SourceTextValueProvider<ConfigurationFile>, ConfigurationFile?> parse,
        CancellationToken cancellationToken,
        string? configPath = null)
    {
        configPath = string.IsNullOrWhiteSpace(configPath) ? null : configPath;
        var files = new List<ConfigurationFile>();
        var exports = new List<ConfigurationFile>();
        foreach (var additional in additionalFiles.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            var isConfiguration = configPath is null ? IsConfigurationFile(additional.Path) : SamePath(additional.Path, configPath!);
            if (!isConfiguration && !IsExportFile(additional.Path))
            {
                continue;
            }

            if (additional.GetText(cancellationToken) is not { } text
                || parse(text, isConfiguration ? ConfigurationFiles : ExportFiles) is not { } parsed)
            {
                continue;
            }

            // The parse is cached by content; the path is this file's.
            var file = WithPath(parsed, additional.Path);
            (isConfiguration ? files : exports).Add(file);
        }

        if (files.Count == 0 && exports.Count == 0)
        {
            return Empty;
        }

        var errors = ImmutableArray.CreateBuilder<ConfigurationError>();
        Version? minServerVersion = null;
        ElementNameConvention? convention = null;
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        var byName = new Dictionary<string, CollectionDeclaration>(StringComparer.Ordinal);

        foreach (var file in files)
        {
            errors.AddRange(file.Errors);
            minServerVersion ??= file.MinServerVersion;
            convention ??= file.Convention;
            foreach (var declaration in file.Collections)
            {
                if (byName.ContainsKey(declaration.Name!))
                {
                    errors.Add(At(file, file.CollectionNames[declaration.Name!], $"Collection '{declaration.Name}' is declared twice"));
                    continue;
                }

                byName[declaration.Name!] = declaration;
            }

            foreach (var (member, elementName) in file.ElementNames)
            {
                overrides[member.Value] = elementName;
            }
        }

        foreach (var export in exports)
        {
            errors.AddRange(export.Errors);
            foreach (var declaration in export.Collections)
            {
                if (!byName.TryGetValue(declaration.Name!, out var existing))
                {
                    byName[declaration.Name!] = declaration;
                }
                else if (existing.ShardKey is null)
                {
                    byName[declaration.Name!] = existing with { ShardKey = declaration.ShardKey };
                }
                else if (!existing.ShardKey.Equals(declaration.ShardKey))
                {
                    errors.Add(At(export, export.CollectionNames[declaration.Name!], $"The shard key of '{declaration.Name}' in this export ({Describe(declaration.ShardKey!)}) conflicts with its declaration ({Describe(existing.ShardKey)})"));
                }
            }
        }

        var naming = convention is null && overrides.Count == 0 ? NamingOptions.Default : new NamingOptions(convention ?? ElementNameConvention.None, overrides);
        return new QueryGuardConfiguration(minServerVersion, naming, byName, errors.ToImmutable(), files.ToImmutableArray());
    }

    /// <summary>
    /// The checks of the configuration files against <paramref name="compilation"/>: the document types and members
    /// they name must exist. Separate from loading because looking a type up by name makes the compiler bind every
    /// reference and declare every source file, which is better left to the compiler than done at compilation start.
    /// </summary>
    public ImmutableArray<ConfigurationError> CheckAgainst(Compilation compilation)
    {
        if (_files.IsEmpty)
        {
            return ImmutableArray<ConfigurationError>.Empty;
        }

        var errors = ImmutableArray.CreateBuilder<ConfigurationError>();
        foreach (var file in _files)
        {
            Validate(file, compilation, errors);
        }

        return errors.ToImmutable();
    }

    /// <summary>Document types and members named in the file must exist in the compilation.</summary>
    private static void Validate(ConfigurationFile file, Compilation compilation, ImmutableArray<ConfigurationError>.Builder errors)
    {
        foreach (var documentType in file.DocumentTypes)
        {
            if (compilation.GetTypeByMetadataName(documentType.Value) is null)
            {
                errors.Add(At(file, documentType, $"Document type '{documentType.Value}' does not exist in this compilation"));
            }
        }

        foreach (var (member, _) in file.ElementNames)
        {
            var dot = member.Value.LastIndexOf('.');
            var type = compilation.GetTypeByMetadataName(member.Value.Substring(0, dot));
            var memberName = member.Value.Substring(dot + 1);
            if (type is null)
            {
                errors.Add(At(file, member, $"Type '{member.Value.Substring(0, dot)}' in elementNames does not exist in this compilation"));
            }
            else if (!type.GetMembers(memberName).Any(m => m is IPropertySymbol or IFieldSymbol))
            {
                errors.Add(At(file, member, $"Type '{type.Name}' has no property or field '{memberName}'"));
            }
        }
    }

    private static ConfigurationFile WithPath(ConfigurationFile parsed, string path)
    {
        var file = new ConfigurationFile
        {
            Path = path,
            Text = parsed.Text,
            MinServerVersion = parsed.MinServerVersion,
            Convention = parsed.Convention,
        };
        file.Collections.AddRange(parsed.Collections);
        file.DocumentTypes.AddRange(parsed.DocumentTypes);
        file.ElementNames.AddRange(parsed.ElementNames);
        foreach (var pair in parsed.CollectionNames)
        {
            file.CollectionNames[pair.Key] = pair.Value;
        }

        file.Errors.AddRange(parsed.Errors.Select(e => e with { Path = path }));
        return file;
    }

    private static ConfigurationError At<T>(ConfigurationFile file, Positioned<T> position, string message) =>
        ConfigurationError.At(file.Text, file.Path, position.Start, position.Length, message);

    private static string Describe(ShardKey key) => "{ " + string.Join(", ", key.Fields.Select(f => f.Path + ": " + (f.Hashed ? "\"hashed\"" : "1"))) + " }";


}
