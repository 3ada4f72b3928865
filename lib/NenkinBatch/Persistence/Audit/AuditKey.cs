using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NenkinBatch.Domain;

namespace NenkinBatch.Persistence.Audit;

/// <summary>
/// The key of an audited record as <c>audit_log.record_key</c> holds it: <c>&lt;municipality&gt;/&lt;table&gt;/&lt;key…&gt;</c>
/// (docs/architecture.md, "Key scheme"). Every writer builds its key here and undo reads it back here, so the log has
/// one format and a record's or a person's history is one lookup.
/// </summary>
public abstract record AuditKey
{
    private AuditKey(MunicipalityCode municipality) =>
        Municipality = municipality.Value is { Length: 6 } ? municipality : throw new ArgumentException("no municipality code", nameof(municipality));

    public MunicipalityCode Municipality { get; }

    /// <summary>The table the record lives in; the same as the row's <c>table_name</c>.</summary>
    public abstract string Table { get; }

    /// <summary>The record's own key within its table, the parts after the table name.</summary>
    private protected abstract string Local { get; }

    /// <summary>The key as stored.</summary>
    public string Value => $"{Municipality.Value}/{Table}/{Local}";

    public sealed override string ToString() => Value;

    public static PersonKey Person(MunicipalityCode municipality, string atenaNumber) => new(municipality, atenaNumber);
    public static IndividualNumberKey IndividualNumber(MunicipalityCode municipality, string atenaNumber) => new(municipality, atenaNumber);
    public static QualificationKey Qualification(MunicipalityCode municipality, string atenaNumber, DateOnly acquiredOn) => new(municipality, atenaNumber, acquiredOn);
    public static FilingKey Filing(MunicipalityCode municipality, long fileId, long lineNumber) => new(municipality, fileId, lineNumber);
    public static FileKey File(MunicipalityCode municipality, long fileId) => new(municipality, fileId);
    public static DecisionKey Decision(MunicipalityCode municipality, long fileId, long lineNumber, string atenaNumber) => new(municipality, fileId, lineNumber, atenaNumber);
    public static HoldKey Hold(MunicipalityCode municipality, long holdId) => new(municipality, holdId);

    /// <summary>
    /// What every key of a person's 資格 periods starts with. The trailing '/' is part of it, so the prefix of 宛名番号 12
    /// does not take in 123's periods.
    /// </summary>
    public static string QualificationPrefix(MunicipalityCode municipality, string atenaNumber) =>
        $"{municipality.Value}/{QualificationKey.TableName}/{Part(atenaNumber, nameof(atenaNumber))}/";

    /// <summary>Reads a stored key back into its parts; a key not in the scheme is corrupt audit data.</summary>
    public static AuditKey Parse(string value) =>
        TryParse(value, out var key) ? key : throw new FormatException("not an audit record key of the form <municipality>/<table>/<key…>");

    /// <summary>
    /// True when <paramref name="value"/> is a key of a known table exactly as this type writes it (so "007" is no file id:
    /// every key has one spelling, and equality and prefix lookups can trust the text).
    /// </summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out AuditKey? key)
    {
        key = null;
        if (value is null) return false;
        var parts = value.Split('/');
        if (parts.Length < 3 || parts.Any(p => p.Length == 0) || !MunicipalityCode.Parse(parts[0]).TryGetValue(out var municipality)) return false;
        key = (parts[1], parts.Length) switch
        {
            (PersonKey.TableName, 3) => Person(municipality, parts[2]),
            (IndividualNumberKey.TableName, 3) => IndividualNumber(municipality, parts[2]),
            (QualificationKey.TableName, 4) when DateOnly.TryParseExact(parts[3], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var acquiredOn) =>
                Qualification(municipality, parts[2], acquiredOn),
            (FilingKey.TableName, 4) when Number(parts[2], out var fileId) && Number(parts[3], out var line) => Filing(municipality, fileId, line),
            (FileKey.TableName, 3) when Number(parts[2], out var fileId) => File(municipality, fileId),
            (DecisionKey.TableName, 5) when Number(parts[2], out var fileId) && Number(parts[3], out var line) =>
                Decision(municipality, fileId, line, parts[4] == DecisionKey.Nobody ? "" : parts[4]),
            (HoldKey.TableName, 3) when Number(parts[2], out var holdId) => Hold(municipality, holdId),
            _ => null,
        };
        if (key is not null && !string.Equals(key.Value, value, StringComparison.Ordinal)) key = null;
        return key is not null;
    }

    private static bool Number(string text, out long value) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>A part of a key may hold no '/', or the key could not be read back.</summary>
    private static string Part(string value, string name) =>
        string.IsNullOrEmpty(value) || value.Contains('/', StringComparison.Ordinal) ? throw new ArgumentException("an audit key part is empty or holds a '/'", name) : value;

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A record keyed by a person's 宛名番号 alone.</summary>
    public abstract record PersonRecordKey : AuditKey
    {
        private protected PersonRecordKey(MunicipalityCode municipality, string atenaNumber) : base(municipality) =>
            AtenaNumber = Part(atenaNumber, nameof(atenaNumber));

        public string AtenaNumber { get; }
        private protected sealed override string Local => AtenaNumber;
    }

    /// <summary>A person (宛名 and 年金基本): <c>121002/person/&lt;宛名番号&gt;</c>.</summary>
    public sealed record PersonKey : PersonRecordKey
    {
        public const string TableName = "person";

        internal PersonKey(MunicipalityCode municipality, string atenaNumber) : base(municipality, atenaNumber) { }

        public override string Table => TableName;
    }

    /// <summary>A person's 個人番号 (the audit row never holds the number): <c>121002/person_individual_number/&lt;宛名番号&gt;</c>.</summary>
    public sealed record IndividualNumberKey : PersonRecordKey
    {
        public const string TableName = "person_individual_number";

        internal IndividualNumberKey(MunicipalityCode municipality, string atenaNumber) : base(municipality, atenaNumber) { }

        public override string Table => TableName;
    }

    /// <summary>A 資格 period: <c>121002/qualification/&lt;宛名番号&gt;/&lt;取得日 YYYY-MM-DD&gt;</c>.</summary>
    public sealed record QualificationKey : AuditKey
    {
        public const string TableName = "qualification";

        internal QualificationKey(MunicipalityCode municipality, string atenaNumber, DateOnly acquiredOn) : base(municipality)
        {
            AtenaNumber = Part(atenaNumber, nameof(atenaNumber));
            AcquiredOn = acquiredOn;
        }

        public string AtenaNumber { get; }
        public DateOnly AcquiredOn { get; }
        public override string Table => TableName;
        private protected override string Local => $"{AtenaNumber}/{CalendarDate.ToIso(AcquiredOn)}";
    }

    /// <summary>A filing JPS processed, by the list line that said so: <c>121002/jps_filing_processed/&lt;file id&gt;/&lt;line&gt;</c>.</summary>
    public sealed record FilingKey : AuditKey
    {
        public const string TableName = "jps_filing_processed";

        internal FilingKey(MunicipalityCode municipality, long fileId, long lineNumber) : base(municipality)
        {
            FileId = fileId >= 0 ? fileId : throw new ArgumentOutOfRangeException(nameof(fileId));
            LineNumber = lineNumber >= 0 ? lineNumber : throw new ArgumentOutOfRangeException(nameof(lineNumber));
        }

        public long FileId { get; }
        public long LineNumber { get; }
        public override string Table => TableName;
        private protected override string Local => $"{Invariant(FileId)}/{Invariant(LineNumber)}";
    }

    /// <summary>An imported 処理結果一覧表: <c>121002/jps_result_file/&lt;file id&gt;</c>.</summary>
    public sealed record FileKey : AuditKey
    {
        public const string TableName = "jps_result_file";

        internal FileKey(MunicipalityCode municipality, long fileId) : base(municipality) =>
            FileId = fileId >= 0 ? fileId : throw new ArgumentOutOfRangeException(nameof(fileId));

        public long FileId { get; }
        public override string Table => TableName;
        private protected override string Local => Invariant(FileId);
    }

    /// <summary>
    /// A clerk's decision about one list row and one person: <c>121002/match_decision/&lt;file id&gt;/&lt;line&gt;/&lt;宛名番号&gt;</c>,
    /// with <c>-</c> for a 別人 decision on a row that had no candidate.
    /// </summary>
    public sealed record DecisionKey : AuditKey
    {
        public const string TableName = "match_decision";
        internal const string Nobody = "-";

        internal DecisionKey(MunicipalityCode municipality, long fileId, long lineNumber, string atenaNumber) : base(municipality)
        {
            FileId = fileId >= 0 ? fileId : throw new ArgumentOutOfRangeException(nameof(fileId));
            LineNumber = lineNumber >= 0 ? lineNumber : throw new ArgumentOutOfRangeException(nameof(lineNumber));
            AtenaNumber = atenaNumber.Length == 0 ? "" : Part(atenaNumber, nameof(atenaNumber));
        }

        public long FileId { get; }
        public long LineNumber { get; }
        /// <summary>The person decided about; empty for none.</summary>
        public string AtenaNumber { get; }
        public override string Table => TableName;
        private protected override string Local => $"{Invariant(FileId)}/{Invariant(LineNumber)}/{(AtenaNumber.Length == 0 ? Nobody : AtenaNumber)}";
    }

    /// <summary>A legal hold on a person or a list (nenkin-purge hold): <c>121002/purge_hold/&lt;hold id&gt;</c>.</summary>
    public sealed record HoldKey : AuditKey
    {
        public const string TableName = "purge_hold";

        internal HoldKey(MunicipalityCode municipality, long holdId) : base(municipality) =>
            HoldId = holdId >= 0 ? holdId : throw new ArgumentOutOfRangeException(nameof(holdId));

        public long HoldId { get; }
        public override string Table => TableName;
        private protected override string Local => Invariant(HoldId);
    }
}
