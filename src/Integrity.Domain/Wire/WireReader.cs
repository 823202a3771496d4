using System.Globalization;
using System.Text.Json;
using Integrity.Domain.Events;

namespace Integrity.Domain.Wire;

/// <summary>
/// Reads typed fields from one wire object and remembers the first problem. Reads after a failure return harmless
/// defaults, so a schema reader is straight-line code and checks <see cref="Error"/> once at the end
/// (bad input is expected here; it is not exceptional).
/// </summary>
internal sealed class WireReader(JsonElement root, EventLimits limits, IdentifierHasher hasher, string? eventId)
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal) { "type", "schemaVersion", "eventId", "occurredAt" };

    public ParseError? Error { get; private set; }

    public string RequiredId(string name) => Id(name, required: true) ?? "";

    public string? OptionalId(string name) => Id(name, required: false);

    public string RequiredText(string name, bool allowEmpty = false) => Text(name, required: true, allowEmpty) ?? "";

    public string? OptionalText(string name) => Text(name, required: false, allowEmpty: false);

    public DateTimeOffset RequiredTime(string name) => Time(name, required: true) ?? default;

    public DateTimeOffset? OptionalTime(string name) => Time(name, required: false);

    public int RequiredInt(string name, int min, int max)
    {
        if (Field(name, required: true) is not { } v) return 0;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && i >= min && i <= max) return i;
        Fail(ParseErrorCodes.InvalidValue, $"\"{name}\" must be an integer {min}..{max}", name);
        return 0;
    }

    public decimal RequiredMoney(string name) => Money(name, required: true) ?? 0m;

    public decimal? OptionalMoney(string name) => Money(name, required: false);

    /// <summary>ISO 4217 style: three uppercase letters.</summary>
    public string RequiredCurrency(string name)
    {
        var s = Text(name, required: true, allowEmpty: false);
        if (s is null) return "";
        if (s.Length == 3 && s.All(char.IsAsciiLetterUpper)) return s;
        Fail(ParseErrorCodes.InvalidValue, $"\"{name}\" must be a 3-letter uppercase currency code, got \"{Clip(s)}\"", name);
        return "";
    }

    public TEnum RequiredEnum<TEnum>(string name, IReadOnlyDictionary<string, TEnum> values)
        where TEnum : struct, Enum
    {
        var s = Text(name, required: true, allowEmpty: false);
        if (s is null) return default;
        if (values.TryGetValue(s, out var value)) return value;
        Fail(ParseErrorCodes.InvalidValue, $"\"{name}\" must be one of {string.Join(", ", values.Keys)}, got \"{Clip(s)}\"", name);
        return default;
    }

    public IReadOnlyList<string> IdList(string name, bool required) => List(name, required, isId: true);

    public IReadOnlyList<string> TextList(string name, bool required) => List(name, required, isId: false);

    /// <summary>
    /// References to documents kept elsewhere (an appeal's attachments): each an absolute http(s) URL or the platform's
    /// document id. Content itself (a data: URL, base64 text) is refused: the audit trail keeps pointers, not blobs.
    /// </summary>
    public IReadOnlyList<string> References(string name)
    {
        if (Field(name, required: false) is not { } v) return [];
        if (v.ValueKind != JsonValueKind.Array)
        {
            Fail(ParseErrorCodes.InvalidValue, $"\"{name}\" must be an array of URLs or document ids", name);
            return [];
        }

        if (v.GetArrayLength() > limits.MaxAttachments)
        {
            Fail(ParseErrorCodes.TooMany, $"\"{name}\" has {v.GetArrayLength()} items, limit {limits.MaxAttachments}", name);
            return [];
        }

        var items = new List<string>(v.GetArrayLength());
        var index = 0;
        foreach (var item in v.EnumerateArray())
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"{name}[{index++}]");
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } s)
            {
                Fail(ParseErrorCodes.InvalidValue, $"\"{path}\" must be a non-empty string: a URL or a document id", name);
                return [];
            }

            if (s.Length > limits.MaxUrlLength)
            {
                Fail(ParseErrorCodes.TooLong, $"\"{path}\" exceeds {limits.MaxUrlLength} characters: send a reference to the document, not the document", name);
                return [];
            }

            var isUrl = Uri.TryCreate(s, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                && s.All(c => c is > ' ' and < '\u007f');
            if (!isUrl && !IsKey(s, limits.MaxIdLength, allowSlash: false))
            {
                Fail(ParseErrorCodes.InvalidValue, $"\"{path}\" must be an http(s) URL or a document id (printable ASCII, at most {limits.MaxIdLength} characters), not \"{Clip(s)}\"", name);
                return [];
            }

            items.Add(s);
        }

        return items;
    }

    /// <summary>A decision id as our webhooks and API give it (<c>seller/S-1/3/evt-9</c>): an id that may contain '/'.</summary>
    public string? OptionalDecisionId(string name)
    {
        if (Field(name, required: false) is not { } v) return null;
        var max = (limits.MaxIdLength * 2) + 32;
        if (v.ValueKind != JsonValueKind.String || !IsKey(v.GetString()!, max, allowSlash: true))
        {
            Fail(ParseErrorCodes.InvalidValue, $"\"{name}\" must be a decision id as delivered by webhook or the API (printable ASCII without spaces, at most {max} characters)", name);
            return null;
        }

        return v.GetString();
    }

    private static bool IsKey(string s, int max, bool allowSlash) =>
        s.Length > 0 && s.Length <= max && s.All(c => c is > ' ' and < '\u007f' and not ('\\' or '#' or '?') && (allowSlash || c != '/'));

    /// <summary>A JSON object of id → non-negative amount, e.g. reference prices per category.</summary>
    public IReadOnlyDictionary<string, decimal>? OptionalPriceMap(string name)
    {
        if (Field(name, required: false) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Object)
        {
            Fail(ParseErrorCodes.InvalidValue, $"\"{name}\" must be an object of category id to price", name);
            return null;
        }

        var map = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            if (map.Count == limits.MaxCollectionCount)
            {
                Fail(ParseErrorCodes.TooMany, $"\"{name}\" has more than {limits.MaxCollectionCount} entries", name);
                return null;
            }

            if (!CheckId($"{name}.{p.Name}", p.Name)) return null;
            if (!TryMoney(p.Value, out var price))
            {
                Fail(ParseErrorCodes.InvalidValue, $"\"{name}.{p.Name}\" must be a non-negative amount", name);
                return null;
            }

            map[p.Name] = price;
        }

        return map;
    }

    /// <summary>A clear identifier, replaced by its keyed hash so the clear value goes no further than this reader.</summary>
    public string? Identifier(string name, IdentifierKind kind, bool required, string? path = null, JsonElement? scope = null)
    {
        var display = path ?? name;
        var v = scope is { } s ? Child(s, name, display, required) : Field(name, required);
        if (v is not { } value) return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            Fail(ParseErrorCodes.InvalidValue, $"\"{display}\" must be a string", display);
            return null;
        }

        var clear = value.GetString()!;
        if (clear.Length > limits.MaxIdLength * 2)
        {
            Fail(ParseErrorCodes.TooLong, $"\"{display}\" exceeds {limits.MaxIdLength * 2} characters", display);
            return null;
        }

        var hash = hasher.Hash(kind, clear);
        if (hash is null) Fail(ParseErrorCodes.InvalidValue, $"\"{display}\" is empty after normalization", display);
        return hash;
    }

    /// <summary>An object of clear identifiers (bankAccount, phone, email, address, device, taxId, ip), all optional.</summary>
    public IdentifierSet? Identifiers(string name, bool required, bool sellerSide)
    {
        if (Field(name, required) is not { } v) return required ? IdentifierSet.Empty : null;
        if (v.ValueKind != JsonValueKind.Object)
        {
            Fail(ParseErrorCodes.InvalidValue, $"\"{name}\" must be an object", name);
            return null;
        }

        string[] allowed = sellerSide
            ? ["bankAccount", "phone", "email", "address", "device", "taxId", "ip"]
            : ["phone", "email", "device", "ip"];
        foreach (var p in v.EnumerateObject())
        {
            if (!allowed.Contains(p.Name))
            {
                Fail(ParseErrorCodes.UnknownField, $"\"{name}.{p.Name}\" is not a field of \"{name}\" (allowed: {string.Join(", ", allowed)})", $"{name}.{p.Name}");
                return null;
            }
        }

        string? Get(string field, IdentifierKind kind) => Identifier(field, kind, required: false, $"{name}.{field}", v);
        return new IdentifierSet(
            BankAccount: Get("bankAccount", IdentifierKind.BankAccount),
            Phone: Get("phone", IdentifierKind.Phone),
            Email: Get("email", IdentifierKind.Email),
            Address: Get("address", IdentifierKind.Address),
            Device: Get("device", IdentifierKind.Device),
            TaxId: Get("taxId", IdentifierKind.TaxId),
            Ip: Get("ip", IdentifierKind.Ip));
    }

    /// <summary>Strict contract: a field this schema version does not define is rejected rather than silently dropped.</summary>
    public void RejectUnknownFields(string typeName, int version)
    {
        if (Error is not null) return;
        foreach (var p in root.EnumerateObject())
        {
            if (!_known.Contains(p.Name))
            {
                Fail(ParseErrorCodes.UnknownField, $"\"{Clip(p.Name)}\" is not a field of {typeName} v{version}", p.Name);
                return;
            }
        }
    }

    public void Fail(string code, string message, string? field)
    {
        Error ??= new ParseError(code, message, eventId, field);
    }

    private JsonElement? Field(string name, bool required)
    {
        _known.Add(name);
        return Child(root, name, name, required);
    }

    private JsonElement? Child(JsonElement scope, string name, string display, bool required)
    {
        if (Error is not null) return null;
        if (scope.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null) return v;
        if (required) Fail(ParseErrorCodes.MissingField, $"\"{display}\" is required", display);
        return null;
    }

    private string? Id(string name, bool required)
    {
        if (Field(name, required) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.String)
        {
            Fail(ParseErrorCodes.InvalidValue, $"\"{name}\" must be a string", name);
            return null;
        }

        var s = v.GetString()!;
        return CheckId(name, s) ? s : null;
    }

    /// <summary>Ids become storage keys: non-empty, bounded, printable ASCII without the characters Table keys forbid.</summary>
    private bool CheckId(string name, string s)
    {
        if (s.Length == 0)
        {
            Fail(ParseErrorCodes.InvalidValue, $"\"{name}\" must not be empty", name);
            return false;
        }

        if (s.Length > limits.MaxIdLength)
        {
            Fail(ParseErrorCodes.TooLong, $"\"{name}\" exceeds {limits.MaxIdLength} characters", name);
            return false;
        }

        if (!s.All(c => c is > ' ' and < '\u007f' and not ('/' or '\\' or '#' or '?')))
        {
            Fail(ParseErrorCodes.InvalidValue, $"\"{name}\" may contain only printable ASCII without spaces, '/', '\\', '#' or '?'", name);
            return false;
        }

        return true;
    }

    private string? Text(string name, bool required, bool allowEmpty)
    {
        if (Field(name, required) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.String)
        {
            Fail(ParseErrorCodes.InvalidValue, $"\"{name}\" must be a string", name);
            return null;
        }

        var s = v.GetString()!;
        if (s.Length > limits.MaxStringLength)
        {
            Fail(ParseErrorCodes.TooLong, $"\"{name}\" exceeds {limits.MaxStringLength} characters", name);
            return null;
        }

        if (!allowEmpty && string.IsNullOrWhiteSpace(s))
        {
            Fail(ParseErrorCodes.InvalidValue, $"\"{name}\" must not be empty", name);
            return null;
        }

        return s;
    }

    /// <summary>Times must carry an explicit offset ("Z" or "+02:00"): a bare local time would be a guess.</summary>
    private DateTimeOffset? Time(string name, bool required)
    {
        if (Field(name, required) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.String)
        {
            var s = v.GetString()!;
            var hasOffset = s.EndsWith('Z') || s.EndsWith('z') || (s.Length > 6 && s[^6] is '+' or '-' && s[^3] == ':');
            if (hasOffset && s.Length <= 40 && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
            {
                if (t >= WireTime.Earliest) return t.ToUniversalTime();
                Fail(ParseErrorCodes.TimeOutOfRange, $"\"{name}\" is {WireTime.Format(t)}, before {WireTime.Format(WireTime.Earliest)}, the earliest time accepted", name);
                return null;
            }
        }

        Fail(ParseErrorCodes.InvalidValue, $"\"{name}\" must be an ISO 8601 time with an offset, e.g. \"2026-11-23T10:00:00Z\"", name);
        return null;
    }

    private decimal? Money(string name, bool required)
    {
        if (Field(name, required) is not { } v) return null;
        if (TryMoney(v, out var amount)) return amount;
        Fail(ParseErrorCodes.InvalidValue, $"\"{name}\" must be a non-negative amount below 1e12", name);
        return null;
    }

    private static bool TryMoney(JsonElement v, out decimal amount)
    {
        amount = 0;
        return v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out amount) && amount >= 0 && amount < 1_000_000_000_000m;
    }

    private IReadOnlyList<string> List(string name, bool required, bool isId)
    {
        if (Field(name, required) is not { } v) return [];
        if (v.ValueKind != JsonValueKind.Array)
        {
            Fail(ParseErrorCodes.InvalidValue, $"\"{name}\" must be an array of strings", name);
            return [];
        }

        if (v.GetArrayLength() > limits.MaxCollectionCount)
        {
            Fail(ParseErrorCodes.TooMany, $"\"{name}\" has {v.GetArrayLength()} items, limit {limits.MaxCollectionCount}", name);
            return [];
        }

        var items = new List<string>(v.GetArrayLength());
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                Fail(ParseErrorCodes.InvalidValue, $"\"{name}\" must contain only non-empty strings", name);
                return [];
            }

            var s = item.GetString()!;
            var max = isId ? limits.MaxIdLength : limits.MaxStringLength;
            if (s.Length > max)
            {
                Fail(ParseErrorCodes.TooLong, $"an item of \"{name}\" exceeds {max} characters", name);
                return [];
            }

            if (isId && !CheckId(name, s)) return [];
            items.Add(s);
        }

        return items;
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
