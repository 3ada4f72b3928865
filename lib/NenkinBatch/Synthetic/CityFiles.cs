using System.Globalization;
using System.Text;
using NenkinBatch.Domain;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Layouts;
using NenkinBatch.Formats.Members;

namespace NenkinBatch.Synthetic;

/// <summary>
/// The files of a synthetic city, written as they are generated (nothing is held but a shuffle window of 住基 rows):
/// members.csv, jps-result.csv (CP932), jps-result.dat (CP932, fixed-length), truth.csv (the JPS rows' truth); the 住基
/// files juki-history.csv, juki-delta-1.csv, juki-delta-2.csv (UTF-8) and juki-followups-truth.csv (their truth).
/// </summary>
public sealed class CityFiles : IDisposable
{
    public const string MembersFile = "members.csv";
    public const string JpsCsvFile = "jps-result.csv";
    public const string JpsFixedFile = "jps-result.dat";
    public const string JukiHistoryFile = "juki-history.csv";
    public const string JukiDelta1File = "juki-delta-1.csv";
    public const string JukiDelta2File = "juki-delta-2.csv";
    public const string FollowUpsFile = "juki-followups-truth.csv";
    public const string TruthFile = "truth.csv";

    public static readonly string[] FollowUpsColumns = ["kind", "atena_number", "history_number", "file", "line", "status"];

    /// <summary>
    /// truth.csv: per JPS row (source jps, line = data row), the 宛名番号 on the 国民年金 file it is about (empty: nobody on it),
    /// the cases it exercises (semicolon-separated), and for a row about a resident the file does not have (a relative) their
    /// 宛名番号 in the 住基 history: once the history is synced they are a person on file too.
    /// </summary>
    public static readonly string[] TruthColumns = ["source", "line", "atena_number", "cases", "resident_atena_number"];

    private readonly Layout _jpsCsv = Layout.Resolve("jps-result-csv");
    private readonly Layout _jpsFixed = Layout.Resolve("jps-result-fixed");
    private readonly CsvOutput _members;
    private readonly CsvOutput _jpsCsvWriter;
    private readonly FileStream _jpsFixedStream;
    private readonly JukiFile[] _juki;
    private readonly CsvOutput _followUps;
    private readonly CsvOutput _truth;
    private readonly byte[] _record;
    private readonly RecordSection _jpsFixedData;
    private long _jpsLines;
    private bool _disposed;

    public CityFiles(string directory, CityOptions options)
    {
        Directory.CreateDirectory(directory);
        _members = CsvOutput.ForSystem(Path.Combine(directory, MembersFile), TextEncodings.Utf8Strict);
        _jpsCsvWriter = CsvOutput.ForSystem(Path.Combine(directory, JpsCsvFile), TextEncodings.Cp932Strict);
        _jpsFixedStream = new FileStream(Path.Combine(directory, JpsFixedFile), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _followUps = CsvOutput.ForSystem(Path.Combine(directory, FollowUpsFile), TextEncodings.Utf8Strict);
        _juki = [.. new[] { JukiHistoryFile, JukiDelta1File, JukiDelta2File }.Select((name, i) =>
            new JukiFile(Path.Combine(directory, name), new SplitMix(options.Seed ^ (0x5A0F_F1E5UL + (ulong)i)), options.ShuffleWindow, FollowUp))];
        _truth = CsvOutput.ForSystem(Path.Combine(directory, TruthFile), TextEncodings.Utf8Strict);
        _record = new byte[_jpsFixed.RecordLength];
        _jpsFixedData = new RecordSection { RecordType = _jpsFixed.DataRecordType!, Fields = _jpsFixed.Fields };

        _members.Write(MembersCsvReader.Columns);
        _jpsCsvWriter.Write(_jpsCsv.Fields.Select(f => f.Label));
        _followUps.Write(FollowUpsColumns);
        _truth.Write(TruthColumns);
        WriteFixed(_jpsFixed.Header!, new Dictionary<string, string>
        {
            ["municipality_code"] = options.MunicipalityCode,
            ["created_on"] = options.AsOf.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
        });
    }

    public long JpsRows => _jpsLines;
    public long MemberRows { get; private set; }
    public long FollowUps { get; private set; }

    /// <summary>The initial full history (read by sync run 1).</summary>
    public JukiFile JukiHistory => _juki[0];

    /// <summary>Delta 1 (run 2) or delta 2 (run 3).</summary>
    public JukiFile JukiDelta(int run) => _juki[run - 1];

    public void Member(SyntheticPerson person)
    {
        var p = person.ToPersonRecord();
        string[] personFields =
        [
            p.AtenaNumber, p.BasicPensionNumber ?? "", p.Name, p.NameKana, person.BirthCompact, p.Sex.ToString(CultureInfo.InvariantCulture),
            p.PostalCode ?? "", p.Address, p.AddressSuffix ?? "", p.ResidentStatus.ToString(CultureInfo.InvariantCulture), p.RemovedOn is { } removed ? Compact(removed) : "",
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

    public void FollowUp(FollowUp followUp)
    {
        FollowUps++;
        _followUps.Write(followUp.Kind, followUp.AtenaNumber ?? "", followUp.HistoryNumber?.ToString(CultureInfo.InvariantCulture) ?? "", followUp.File ?? "",
            followUp.Line?.ToString(CultureInfo.InvariantCulture) ?? "", followUp.Status);
    }

    private void WriteTruth(string source, long line, GeneratedRow row) =>
        _truth.Write([source, line.ToString(CultureInfo.InvariantCulture), row.TruthAtena ?? "", string.Join(";", row.Cases), row.ResidentAtena ?? ""]);

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
                var chars = value.Length > field.Length / 2 ? value[..(field.Length / 2)] : value;
                var written = TextEncodings.Cp932Strict.GetBytes(chars, target);
                // Padded with U+3000 (0x8140 in CP932) from the text's end: a half-width character in the text (ｰ) leaves one byte, a space.
                for (var i = written; i < target.Length; i += 2)
                {
                    if (i + 1 < target.Length) { target[i] = 0x81; target[i + 1] = 0x40; }
                    else target[i] = (byte)' ';
                }
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
        if (_disposed) return;
        _disposed = true;
        WriteFixed(_jpsFixed.Trailer!, new Dictionary<string, string> { ["count"] = _jpsLines.ToString("D9", CultureInfo.InvariantCulture) });
        _members.Dispose();
        _jpsCsvWriter.Dispose();
        _jpsFixedStream.Dispose();
        foreach (var file in _juki) file.Dispose(); // its last rows may be rejected rows, whose follow-ups are written here
        _followUps.Dispose();
        _truth.Dispose();
    }
}

/// <summary>
/// One generated 住基 file (UTF-8, header line). The register's extracts are not in (宛名番号, 履歴番号) order, and the
/// sync must not need them to be: rows go out in blocks of the shuffle window, a quarter of each block's rows swapped at
/// random, so no row lands further than the window from where it was made and the memory stays one window. A refused
/// row's follow-up names the file's own line number (header = line 1), known only here.
/// </summary>
public sealed class JukiFile : IDisposable
{
    private readonly CsvOutput _csv;
    private readonly SplitMix _random;
    private readonly int _window;
    private readonly Action<FollowUp> _rejected;
    private readonly List<JukiRow> _block = [];
    private long _line = 1;

    public JukiFile(string path, SplitMix random, int window, Action<FollowUp> rejected)
    {
        Name = Path.GetFileName(path);
        _csv = CsvOutput.ForSystem(path, TextEncodings.Utf8Strict);
        _random = random;
        _window = Math.Max(1, window);
        _rejected = rejected;
        _csv.Write(JukiRow.Labels);
    }

    public string Name { get; }

    /// <summary>Rows added so far, written or still in the window.</summary>
    public long Rows { get; private set; }

    public void Add(JukiRow row)
    {
        _block.Add(row);
        Rows++;
        if (_block.Count >= _window) Flush();
    }

    private void Flush()
    {
        for (var swaps = _block.Count / 4; swaps > 0; swaps--)
        {
            var i = _random.Next(_block.Count);
            var j = _random.Next(_block.Count);
            (_block[i], _block[j]) = (_block[j], _block[i]);
        }
        foreach (var row in _block)
        {
            _csv.Write(row.Values);
            _line++;
            if (row.Refused) _rejected(new FollowUp(FollowUp.RejectedRow, row.AtenaNumber, null, Name, _line));
        }
        _block.Clear();
    }

    public void Dispose()
    {
        Flush();
        _csv.Dispose();
    }
}
