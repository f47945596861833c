using QueryGuard.Json;
using QueryGuard.Model;

namespace QueryGuard.Tests.Model;

public class JsonReaderTests
{
    [Fact]
    public void Strict_ReadsObjectsWithPositions()
    {
        const string text = "{\n  \"a\": [1, true, null, \"x\"]\n}";
        var (value, error) = JsonReader.Parse(text, relaxed: false);

        Assert.Null(error);
        var obj = Assert.IsType<JsonObject>(value);
        var property = Assert.Single(obj.Properties);
        Assert.Equal("a", property.Name);
        Assert.Equal(text.IndexOf("\"a\"", StringComparison.Ordinal), property.NameStart);
        var array = Assert.IsType<JsonArray>(property.Value);
        Assert.Collection(
            array.Items,
            i => Assert.Equal("1", Assert.IsType<JsonNumber>(i).Text),
            i => Assert.True(Assert.IsType<JsonBoolean>(i).Value),
            i => Assert.IsType<JsonNull>(i),
            i => Assert.Equal("x", Assert.IsType<JsonString>(i).Value));
    }

    [Theory]
    [InlineData("{ a: 1 }", 2)]            // unquoted keys are shell syntax only
    [InlineData("{ \"a\": 'x' }", 7)]      // so are single quotes
    [InlineData("{ \"a\": 1, }", 10)]      // and trailing commas
    [InlineData("{ \"a\" 1 }", 6)]
    [InlineData("{ \"a\": }", 7)]
    [InlineData("{ \"a\": \"x }", 7)]
    [InlineData("{ \"a\": 1 } x", 11)]
    [InlineData("", 0)]
    public void Strict_ReportsTheOffsetOfTheFirstError(string text, int offset)
    {
        var (value, error) = JsonReader.Parse(text, relaxed: false);

        Assert.Null(value);
        Assert.NotNull(error);
        Assert.Equal(offset, error!.Offset);
    }

    [Fact]
    public void Strict_AllowsLineComments() =>
        Assert.Null(JsonReader.Parse("{\n  // the shard key\n  \"a\": 1\n}", relaxed: false).Error);

    [Fact]
    public void Relaxed_ReadsShellSyntax()
    {
        var (value, error) = JsonReader.Parse("{ _id: ObjectId('507f1f77bcf86cd799439011'), name: /^ab/i, 'q': 1, }", relaxed: true);

        Assert.Null(error);
        var obj = Assert.IsType<JsonObject>(value);
        Assert.Equal(new[] { "_id", "name", "q" }, obj.Properties.Select(p => p.Name));
        Assert.Null(Assert.IsType<JsonShellValue>(obj.Properties[0].Value).RegexPattern);
        Assert.Equal("^ab", Assert.IsType<JsonShellValue>(obj.Properties[1].Value).RegexPattern);
    }

    [Fact]
    public void DeepNesting_IsAnErrorNotACrash()
    {
        var text = new string('[', 10_000) + new string(']', 10_000);
        Assert.NotNull(JsonReader.Parse(text, relaxed: false).Error);
    }

    [Theory]
    [InlineData("^abc", true)]
    [InlineData("\\Aabc", true)]
    [InlineData("abc", false)]
    [InlineData("^.*abc", false)]
    [InlineData(null, false)]
    public void AnchoredRegex(string? pattern, bool anchored) =>
        Assert.Equal(anchored, FilterDocumentTranslator.IsAnchored(pattern));
}
