using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace QueryGuard.Json;

/// <summary>
/// A small JSON reader that keeps positions. Strict mode reads configuration files (RFC 8259, plus // comments,
/// which users expect in config files). Relaxed mode also reads the mongo-shell syntax the driver accepts in
/// filter strings: unquoted keys, single-quoted strings, regex literals and constructors like <c>ObjectId("…")</c>.
/// It never throws: errors come back as <see cref="JsonError"/>.
/// </summary>
public sealed class JsonReader
{
    private const int MaxDepth = 64;

    private readonly string _text;
    private readonly int _end;
    private readonly bool _relaxed;
    private int _position;
    private int _depth;

    private JsonReader(string text, int start, int end, bool relaxed)
    {
        _text = text;
        _position = start;
        _end = end;
        _relaxed = relaxed;
    }

    public static (JsonNode? Value, JsonError? Error) Parse(string text, bool relaxed) => Parse(text, 0, text.Length, relaxed);

    /// <summary>Parses <c>text[start..start+length)</c>; positions stay those of the whole text.</summary>
    public static (JsonNode? Value, JsonError? Error) Parse(string text, int start, int length, bool relaxed)
    {
        var reader = new JsonReader(text, start, start + length, relaxed);
        try
        {
            var value = reader.ReadValue();
            reader.SkipTrivia();
            if (reader._position < reader._end)
            {
                return (null, new JsonError("unexpected text after the end of the JSON value", reader._position));
            }

            return (value, null);
        }
        catch (JsonSyntaxException e)
        {
            return (null, e.Error);
        }
    }

    private JsonNode ReadValue()
    {
        SkipTrivia();
        if (_position >= _end)
        {
            throw Fail("unexpected end of text, a value was expected");
        }

        var c = _text[_position];
        switch (c)
        {
            case '{':
                return ReadObject();
            case '[':
                return ReadArray();
            case '"':
                return ReadString('"');
            case '\'' when _relaxed:
                return ReadString('\'');
            case '/' when _relaxed:
                return ReadRegex();
        }

        if (c == '-' || char.IsDigit(c))
        {
            return ReadNumber();
        }

        if (IsIdentifierStart(c))
        {
            var start = _position;
            var word = ReadIdentifier();
            switch (word)
            {
                case "true":
                    return new JsonBoolean(true, start, 4);
                case "false":
                    return new JsonBoolean(false, start, 5);
                case "null":
                    return new JsonNull(start, 4);
            }

            if (_relaxed)
            {
                return ReadShellConstructor(start, word);
            }

            throw Fail($"unexpected '{word}', a value was expected", start);
        }

        throw Fail($"unexpected character '{c}'");
    }

    private JsonObject ReadObject()
    {
        var start = _position++;
        Enter();
        var properties = ImmutableArray.CreateBuilder<JsonProperty>();
        SkipTrivia();
        if (Peek() == '}')
        {
            _position++;
            _depth--;
            return new JsonObject(properties.ToImmutable(), start, _position - start);
        }

        while (true)
        {
            SkipTrivia();
            var nameStart = _position;
            string name;
            var c = Peek();
            if (c == '"' || (_relaxed && c == '\''))
            {
                name = ReadString(c.Value).Value;
            }
            else if (_relaxed && c is { } ch && (IsIdentifierStart(ch) || ch == '$'))
            {
                name = ReadIdentifier();
            }
            else
            {
                throw Fail(c is null ? "unexpected end of text, a property name was expected" : "a property name in double quotes was expected");
            }

            var nameLength = _position - nameStart;
            SkipTrivia();
            Expect(':');
            var value = ReadValue();
            properties.Add(new JsonProperty(name, nameStart, nameLength, value));
            SkipTrivia();
            var next = Peek();
            if (next == ',')
            {
                _position++;
                SkipTrivia();
                if (Peek() == '}' && _relaxed)
                {
                    _position++;
                    break;
                }

                continue;
            }

            if (next == '}')
            {
                _position++;
                break;
            }

            throw Fail(next is null ? "unexpected end of text, '}' was expected" : "',' or '}' was expected");
        }

        _depth--;
        return new JsonObject(properties.ToImmutable(), start, _position - start);
    }

    private JsonArray ReadArray()
    {
        var start = _position++;
        Enter();
        var items = ImmutableArray.CreateBuilder<JsonNode>();
        SkipTrivia();
        if (Peek() == ']')
        {
            _position++;
            _depth--;
            return new JsonArray(items.ToImmutable(), start, _position - start);
        }

        while (true)
        {
            items.Add(ReadValue());
            SkipTrivia();
            var next = Peek();
            if (next == ',')
            {
                _position++;
                SkipTrivia();
                if (Peek() == ']' && _relaxed)
                {
                    _position++;
                    break;
                }

                continue;
            }

            if (next == ']')
            {
                _position++;
                break;
            }

            throw Fail(next is null ? "unexpected end of text, ']' was expected" : "',' or ']' was expected");
        }

        _depth--;
        return new JsonArray(items.ToImmutable(), start, _position - start);
    }

    private JsonString ReadString(char quote)
    {
        var start = _position++;
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _end)
            {
                throw Fail("unterminated string", start);
            }

            var c = _text[_position++];
            if (c == quote)
            {
                return new JsonString(builder.ToString(), start, _position - start);
            }

            if (c == '\n')
            {
                throw Fail("unterminated string", start);
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (_position >= _end)
            {
                throw Fail("unterminated string", start);
            }

            var escape = _text[_position++];
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\'': builder.Append('\''); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (_position + 4 > _end
                        || !int.TryParse(_text.Substring(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                    {
                        throw Fail("invalid \\u escape", _position - 2);
                    }

                    builder.Append((char)code);
                    _position += 4;
                    break;
                default:
                    throw Fail($"invalid escape '\\{escape}'", _position - 2);
            }
        }
    }

    private JsonNumber ReadNumber()
    {
        var start = _position;
        if (Peek() == '-')
        {
            _position++;
        }

        var digits = 0;
        while (_position < _end && (char.IsDigit(_text[_position]) || _text[_position] is '.' or 'e' or 'E' or '+' or '-'))
        {
            _position++;
            digits++;
        }

        var text = _text.Substring(start, _position - start);
        if (digits == 0 || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw Fail($"invalid number '{text}'", start);
        }

        return new JsonNumber(text, start, _position - start);
    }

    private JsonShellValue ReadRegex()
    {
        var start = _position++;
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _end || _text[_position] == '\n')
            {
                throw Fail("unterminated regular expression", start);
            }

            var c = _text[_position++];
            if (c == '/')
            {
                break;
            }

            builder.Append(c);
            if (c == '\\' && _position < _end)
            {
                builder.Append(_text[_position++]);
            }
        }

        while (_position < _end && char.IsLetter(_text[_position]))
        {
            _position++;
        }

        return new JsonShellValue(_text.Substring(start, _position - start), builder.ToString(), start, _position - start);
    }

    /// <summary><c>ObjectId("…")</c>, <c>ISODate("…")</c>, <c>NumberLong(5)</c>, <c>new Date()</c>: opaque, non-null values.</summary>
    private JsonShellValue ReadShellConstructor(int start, string word)
    {
        if (word == "new")
        {
            SkipTrivia();
            if (Peek() is { } c && IsIdentifierStart(c))
            {
                ReadIdentifier();
            }
        }

        SkipTrivia();
        if (Peek() != '(')
        {
            throw Fail($"unexpected '{word}', a value was expected", start);
        }

        _position++;
        Enter();
        SkipTrivia();
        if (Peek() != ')')
        {
            while (true)
            {
                ReadValue();
                SkipTrivia();
                if (Peek() == ',')
                {
                    _position++;
                    continue;
                }

                break;
            }
        }

        Expect(')');
        _depth--;
        return new JsonShellValue(_text.Substring(start, _position - start), null, start, _position - start);
    }

    private string ReadIdentifier()
    {
        var start = _position;
        while (_position < _end && (IsIdentifierStart(_text[_position]) || char.IsDigit(_text[_position]) || _text[_position] is '$' or '.'))
        {
            _position++;
        }

        return _text.Substring(start, _position - start);
    }

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c is '_' or '$';

    private void SkipTrivia()
    {
        while (_position < _end)
        {
            var c = _text[_position];
            if (char.IsWhiteSpace(c))
            {
                _position++;
            }
            else if (c == '/' && _position + 1 < _end && _text[_position + 1] == '/')
            {
                while (_position < _end && _text[_position] != '\n')
                {
                    _position++;
                }
            }
            else if (c == '/' && _position + 1 < _end && _text[_position + 1] == '*')
            {
                var end = _text.IndexOf("*/", _position + 2, System.StringComparison.Ordinal);
                if (end < 0)
                {
                    throw Fail("unterminated comment");
                }

                _position = end + 2;
            }
            else
            {
                break;
            }
        }
    }

    private char? Peek() => _position < _end ? _text[_position] : null;

    private void Expect(char expected)
    {
        SkipTrivia();
        if (Peek() != expected)
        {
            throw Fail(_position >= _end ? $"unexpected end of text, '{expected}' was expected" : $"'{expected}' was expected");
        }

        _position++;
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw Fail("the JSON is nested too deeply");
        }
    }

    private JsonSyntaxException Fail(string message, int? offset = null) => new(new JsonError(message, offset ?? _position));

    /// <summary>Internal control flow only: never escapes <see cref="Parse"/>.</summary>
    private sealed class JsonSyntaxException : System.Exception
    {
        public JsonSyntaxException(JsonError error) => Error = error;

        public JsonError Error { get; }
    }
}
