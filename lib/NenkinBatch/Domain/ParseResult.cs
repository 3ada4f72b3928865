using System.Diagnostics.CodeAnalysis;

namespace NenkinBatch.Domain;

/// <summary>
/// What a value type's parser says: the value, or exactly what was wrong (in Japanese, for operators). A failed
/// result has no value to read: <see cref="Value"/> throws, so a caller cannot carry a default on by mistake.
/// </summary>
public readonly struct Parsed<T>
{
    private readonly T _value;

    private Parsed(T value, string? error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>Why the text was not a value; null when it was.</summary>
    public string? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool Ok => Error is null;

    /// <summary>The value; reading it from a failed result is a programming error.</summary>
    public T Value => Ok ? _value : throw new InvalidOperationException("The value of a failed parse was read; check Ok or use TryGetValue.");

    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value;
        return Ok;
    }

    /// <summary>The value, or why there is none.</summary>
    public bool TryGetValue([MaybeNullWhen(false)] out T value, [NotNullWhen(false)] out string? error)
    {
        value = _value;
        error = Error;
        return Ok;
    }

    public static Parsed<T> Success(T value) => new(value, null);
    public static Parsed<T> Failure(string error) => new(default!, error);
}
