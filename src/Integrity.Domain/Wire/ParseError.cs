namespace Integrity.Domain.Wire;

/// <summary>
/// Why a line was rejected: a stable <see cref="Code"/> for machines, a <see cref="Message"/> naming the field for
/// people, and the event id when it could be read (so the platform can match the rejection to its event).
/// </summary>
public sealed record ParseError(string Code, string Message, string? EventId = null, string? Field = null)
{
    public override string ToString() => $"{Code}: {Message}";
}

/// <summary>Reason codes for rejected lines.</summary>
public static class ParseErrorCodes
{
    public const string MalformedJson = "MALFORMED_JSON";
    public const string TooLong = "TOO_LONG";
    public const string TooMany = "TOO_MANY";
    public const string MissingField = "MISSING_FIELD";
    public const string UnknownType = "UNKNOWN_TYPE";
    public const string UnsupportedSchemaVersion = "UNSUPPORTED_SCHEMA_VERSION";
    public const string InvalidValue = "INVALID_VALUE";
    public const string UnknownField = "UNKNOWN_FIELD";
    public const string TimeOutOfRange = "TIME_OUT_OF_RANGE";
}
