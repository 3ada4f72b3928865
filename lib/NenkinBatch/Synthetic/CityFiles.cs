using System.Globalization;
using System.Text;
using NenkinBatch.Domain;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Layouts;
using NenkinBatch.Formats.Members;

namespace NenkinBatch.Synthetic;

/// <summary>
/// The files of a synthetic city, written as they are generated (nothing is held): members.csv,
/// jps-result.csv (CP932), jps-result.dat (CP932, fixed-length), juki-changes.csv (UTF-8), truth.csv.
/// </summary>
public sealed class CityFiles : IDisposable
{
    public const string MembersFile = "members.csv";
    public const string JpsCsvFile = "jps-result.csv";
    public const string JpsFixedFile = "jps-result.dat";
    public const string JukiFile = "juki-changes.csv";
    public const string TruthFile = "truth.csv";

    private readonly Layout _jpsCsv = Layout.Resolve("jps-result-csv");
    private readonly Layout _jpsFixed = Layout.Resolve("jps-result-fixed");
    private readonly Layout _juki = Layout.Resolve("juki-change-csv");
    private readonly CsvOutput _members;
    private readonly CsvOutput _jpsCsvWriter;
    private readonly FileStream _jpsFixedStream;
    private readonly CsvOutput _jukiWriter;
    private readonly CsvOutput _truth;
    private readonly byte[] _record;
    private readonly RecordSection _jpsFixedData;
    private long _jpsLines;
    private long _jukiLines;

    public CityFiles(string directory, string municipalityCode, DateOnly createdOn)
    {
        Directory.CreateDirectory(directory);
        _members = CsvOutput.ForSystem(Path.Combine(directory, MembersFile), TextEncodings.Utf8Strict);
        _jpsCsvWriter = CsvOutput.ForSystem(Path.Combine(directory, JpsCsvFile), TextEncodings.Cp932Strict);
        _jpsFixedStream = new FileStream(Path.Combine(directory, JpsFixedFile), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _jukiWriter = CsvOutput.ForSystem(Path.Combine(directory, JukiFile), TextEncodings.Utf8Strict);
        _truth = CsvOutput.ForSystem(Path.Combine(directory, TruthFile), TextEncodings.Utf8Strict);
        _record = new byte[_jpsFixed.RecordLength];
        _jpsFixedData = new RecordSection { RecordType = _jpsFixed.DataRecordType!, Fields = _jpsFixed.Fields };

        _members.Write(MembersCsvReader.Columns);
        _jpsCsvWriter.Write(_jpsCsv.Fields.Select(f => f.Label));
        _jukiWriter.Write(_juki.Fields.Select(f => f.Label));
        _truth.Write(["source", "line", "atena_number", "cases"]);
        WriteFixed(_jpsFixed.Header!, new Dictionary<string, string>
        {
            ["municipality_code"] = municipalityCode,
            ["created_on"] = createdOn.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
        });
    }

    public long JpsRows => _jpsLines;
    public long JukiRows => _jukiLines;
    public long MemberRows { get; private set; }

    public void Member(SyntheticPerson person)
    {
        var p = person.ToPersonRecord();
        string[] personFields =
        [
            p.AtenaNumber, p.BasicPensionNumber ?? "", p.Name, p.NameKana, person.BirthCompact, p.Sex.ToString(CultureInfo.InvariantCulture),
            p.PostalCode ?? "", p.Address, p.AddressSuffix ?? "", "1", "",
        ];
        var periods = person.Periods.Count == 0 ? [null] : person.Periods.Cast<QualificationRecord?>().ToList();
        foreach (var q in periods)
        {
            _members.Write(personFields.Concat(
            [
                q is null ? "" : q.InsuredCategory.ToString(CultureInfo.InvariantCulture), q is null ? "" : Compact(q.AcquiredOn), q?.AcquisitionReason ?? "",
                q?.LostOn is { } lost ? Compact(lost) : "", q?.LossReason ?? "", person.IndividualNumber ?? "",
            ]));
            MemberRows++;
        }
    }

    public void Jps(GeneratedRow row)
    {
        _jpsLines++;
        _jpsCsvWriter.Write(_jpsCsv.Fields.Select(f => row.Fields[f.Name]));
        WriteFixed(_jpsFixedData, row.Fields);
        WriteTruth("jps", _jpsLines, row);
    }

    public void Juki(GeneratedRow row)
    {
        _jukiLines++;
        _jukiWriter.Write(_juki.Fields.Select(f => row.Fields[f.Name]));
        WriteTruth("juki", _jukiLines, row);
    }

    private void WriteTruth(string source, long line, GeneratedRow row) =>
        _truth.Write([source, line.ToString(CultureInfo.InvariantCulture), row.TruthAtena ?? "", string.Join(";", row.Cases)]);

    private void WriteFixed(RecordSection section, IReadOnlyDictionary<string, string> values)
    {
        Array.Fill(_record, (byte)' ');
        _record[0] = (byte)section.RecordType[0];
        foreach (var field in section.Fields)
        {
            var value = values.TryGetValue(field.Name, out var v) ? v : "";
            var target = _record.AsSpan(field.Offset, field.Length);
            if (field.Width == "full")
            {
                for (var i = 0; i + 1 < target.Length; i += 2) { target[i] = 0x81; target[i + 1] = 0x40; } // U+3000 in CP932
                var chars = value.Length > field.Length / 2 ? value[..(field.Length / 2)] : value;
                TextEncodings.Cp932Strict.GetBytes(chars, target);
            }
            else
            {
                var bytes = TextEncodings.Cp932Strict.GetBytes(value);
                if (bytes.Length > field.Length) throw new InvalidOperationException($"{field.Name} does not fit in {field.Length} bytes");
                bytes.CopyTo(target);
            }
        }
        _jpsFixedStream.Write(_record);
        _jpsFixedStream.Write("\r\n"u8);
    }

    private static string Compact(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        WriteFixed(_jpsFixed.Trailer!, new Dictionary<string, string> { ["count"] = _jpsLines.ToString("D9", CultureInfo.InvariantCulture) });
        _members.Dispose();
        _jpsCsvWriter.Dispose();
        _jpsFixedStream.Dispose();
        _jukiWriter.Dispose();
        _truth.Dispose();
    }
}
