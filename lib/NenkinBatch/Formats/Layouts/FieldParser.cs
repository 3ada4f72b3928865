using System.Text;
using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Codes;

namespace NenkinBatch.Formats.Layouts;

/// <summary>
/// Checks and converts the raw fields of one record by their layout types, collecting every problem
/// of the record (not only the first) with file, line, field and reason.
/// </summary>
public sealed class FieldParser(Layout layout, CodeTables codes, string file, long line)
{
    private string?[] _values = [];
    private List<RowProblem>? _problems;

    /// <summary>The raw (cleaned) field values of the record, in the layout's field order.</summary>
    public FieldParser With(string?[] values)
    {
        _values = values;
        return this;
    }

    /// <summary>The raw value of a field, before any check.</summary>
    public string? RawValue(string name) => layout.IndexOf(name) is var i and >= 0 && i < _values.Length ? _values[i] : null;

    public List<RowProblem> Problems => _problems ??= [];
    public IReadOnlyList<RowProblem> ProblemsOrNone => _problems is null ? [] : _problems;
    public bool HasErrors => _problems is not null && _problems.Exists(p => p.Severity == ProblemSeverity.Error);

    /// <summary>
    /// The field and its value when the field is in the layout, not empty, free of control characters and within its
    /// maximum length; a required empty field, a control character or an overlong value is an error.
    /// </summary>
    private bool TryGet(string name, out LayoutField field, out string value)
    {
        var i = layout.IndexOf(name);
        field = i >= 0 ? layout.Fields[i] : null!;
        value = i >= 0 && i < _values.Length ? _values[i]! : null!;
        if (i < 0) return false;
        if (value is null)
        {
            if (field.Required) Fail<string>(field, null, $"{field.Label}がありません");
            return false;
        }
        // No register holds a NUL, a tab or a line break in a name or an address; the value is shown with them spelled out.
        if (value.AsSpan().IndexOfAny(FieldText.Controls) is var control and >= 0)
        {
            Fail<string>(field, FieldText.Printable(value), $"{field.Label}に制御文字（U+{(int)value[control]:X4}）があります");
            return false;
        }
        // A value in UTF-16 is at least as long as in characters: counting is needed only past the limit.
        if (value.Length > field.MaxLength && Characters(value) is var length && length > field.MaxLength)
        {
            Fail<string>(field, Shortened(RowProblem.Masked(field.Label, value)!, field.MaxLength), $"{field.Label}が {length:N0} 文字あり、最大の {field.MaxLength} 文字を超えています");
            return false;
        }
        return true;
    }

    /// <summary>
    /// The characters a value has as a reader sees them: code points, a variation selector counted with the character it
    /// selects a glyph of (文字情報基盤 names write 葛󠄀 as two code points, one character).
    /// </summary>
    private static int Characters(string value)
    {
        var count = 0;
        var selectable = false;
        foreach (var rune in value.EnumerateRunes())
        {
            // One selector a character: a selector on its own, or a second one, counts as a character (a value of nothing
            // but selectors is not empty).
            if (selectable && IsVariationSelector(rune)) selectable = false;
            else
            {
                count++;
                selectable = !IsVariationSelector(rune);
            }
        }
        return count;
    }

    private static bool IsVariationSelector(Rune rune) => rune.Value is (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF);

    /// <summary>An overlong value for the error list: its first characters, not megabytes of them, none cut from its selector.</summary>
    private static string Shortened(string value, int maxLength)
    {
        var cut = Math.Min(value.Length, maxLength + 10);
        if (cut < value.Length && char.IsHighSurrogate(value[cut - 1])) cut--;
        if (cut < value.Length && Rune.DecodeFromUtf16(value.AsSpan(cut), out var next, out var width) == System.Buffers.OperationStatus.Done && IsVariationSelector(next))
            cut += width;
        return cut < value.Length ? value[..cut] + "…" : value;
    }

    private T? Fail<T>(LayoutField field, string? value, string reason)
    {
        Problems.Add(RowProblem.Error(file, line, field.Label, value, reason));
        return default;
    }

    /// <summary>The field's text; an error when it is required and empty.</summary>
    public string? Text(string name) => TryGet(name, out _, out var value) ? value : null;

    public string? Code(string name)
    {
        if (!TryGet(name, out var field, out var value)) return null;
        var table = codes[field.Table ?? throw new InvalidOperationException($"field {name} has no table")];
        if (table.Contains(value)) return value;
        if (field.UnknownIs == "warning")
        {
            Problems.Add(RowProblem.Warning(file, line, field.Label, value, $"{field.Label}「{value}」はコード表にありません（そのまま取り込みます）"));
            return value;
        }
        return Fail<string>(field, value, $"{field.Label}が {table.Codes} のどれでもありません");
    }

    public int? CodeNumber(string name) => Code(name) is { } code && int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    public DateOnly? Wareki(string name)
    {
        if (!TryGet(name, out var field, out var value)) return null;
        var parsed = layout.Wareki.Parse(value);
        return parsed.TryGetValue(out var parsedValue, out var error) ? parsedValue : Fail<DateOnly?>(field, value, error);
    }

    public string? BasicPensionNumber(string name)
    {
        if (!TryGet(name, out var field, out var value)) return null;
        var parsed = Domain.BasicPensionNumber.Parse(value);
        return parsed.TryGetValue(out var parsedValue, out var error) ? parsedValue.Value : Fail<string>(field, value, error);
    }

    public string? Municipality(string name)
    {
        if (!TryGet(name, out var field, out var value)) return null;
        var parsed = MunicipalityCode.Parse(value);
        return parsed.TryGetValue(out var parsedValue, out var error) ? parsedValue.Value : Fail<string>(field, value, error);
    }

    public string? PostalCode(string name)
    {
        if (!TryGet(name, out var field, out var value)) return null;
        var digits = value.Replace("-", "", StringComparison.Ordinal);
        if (digits.Length == 7 && CheckDigit.IsAsciiDigits(digits)) return digits;
        Problems.Add(RowProblem.Warning(file, line, field.Label, value, "郵便番号が7桁の数字ではありません（そのまま取り込みます）"));
        return value;
    }

    public IndividualNumber? IndividualNumber(string name)
    {
        if (!TryGet(name, out var field, out var value)) return null;
        var parsed = Domain.IndividualNumber.Parse(value);
        return parsed.TryGetValue(out var parsedValue, out var error) ? parsedValue : Fail<IndividualNumber>(field, value, error);
    }

    public DateOnly? Date(string name)
    {
        if (!TryGet(name, out var field, out var value)) return null;
        var parsed = CalendarDate.ParseCompact(value);
        return parsed.TryGetValue(out var parsedValue, out var error) ? parsedValue : Fail<DateOnly?>(field, value, error);
    }

    public BirthDate? BirthDate(string name)
    {
        if (!TryGet(name, out var field, out var value)) return null;
        var parsed = Domain.BirthDate.ParseCompact(value);
        return parsed.TryGetValue(out var parsedValue, out var error) ? parsedValue : Fail<BirthDate?>(field, value, error);
    }

    /// <summary>宛名番号 or 世帯番号: a failed check digit is a warning (legacy numbers), a wrong form an error.</summary>
    public string? AtenaNumber(string name)
    {
        if (!TryGet(name, out var field, out var value)) return null;
        var parsed = Domain.AtenaNumber.Parse(value);
        if (!parsed.TryGetValue(out var atena, out var error)) return Fail<string>(field, value, error.Replace("宛名番号", field.Label, StringComparison.Ordinal));
        if (!atena.HasValidCheckDigit)
            Problems.Add(RowProblem.Warning(file, line, field.Label, value, $"{field.Label}のチェックデジットが一致しません（旧番号として取り込みます）"));
        return value;
    }

    public int? PositiveInteger(string name)
    {
        if (!TryGet(name, out var field, out var value)) return null;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : Fail<int?>(field, value, $"{field.Label}は1以上の整数です");
    }

    /// <summary>Katakana only (either width), with spaces and the long-vowel mark: anything else in a kana field means the file was decoded wrongly or the field shifted.</summary>
    public string? Kana(string name)
    {
        if (!TryGet(name, out var field, out var value)) return null;
        foreach (var c in value)
        {
            if (c is (>= '\u30A1' and <= '\u30FC') or (>= '\uFF66' and <= '\uFF9F') or ' ' or '\u3000' or '･' or '・') continue;
            return Fail<string>(field, value, $"{field.Label}にカタカナ以外の文字「{FieldText.Printable(c.ToString())}」があります（文字コードの誤りか、項目のずれの可能性があります）");
        }
        return value;
    }
}
