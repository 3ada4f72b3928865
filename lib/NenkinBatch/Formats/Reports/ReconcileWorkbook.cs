using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace NenkinBatch.Formats.Reports;

/// <summary>
/// One row of a 判定's sheet as <see cref="ReconcileReport"/> spilled it: the report's cells (in
/// <see cref="ReconcileReportRow.Headers"/> order), the birth date where the report has a full one, and on a row a clerk
/// may decide its fingerprint as text.
/// </summary>
public readonly record struct WorkbookRow(string[] Cells, DateOnly? BirthDate, string? Fingerprint);

/// <summary>
/// The clerk's workbook of the reconciliation report (docs/formats.md, "The clerk's workbook"): a summary sheet 集計 that
/// says what each 判定 asks of the clerk, then one sheet per 判定 but 一致 with the report's rows, laid out to be read and
/// printed (fitted columns, a bold frozen header, a filter, wrapped long texts, a real date beside the 和暦, codes kept as
/// text, landscape one page wide with the header on every page). On the sheets a clerk decides (要確認, 市未登録) every row
/// also has 判断 (a drop-down), 宛名番号（職員入力） and the hidden 照合ID; those two input cells are the only ones a
/// clerk can change, the sheet being protected without a password — against slips, not against anyone — so that what
/// <see cref="ReconcileWorkbookReader"/> reads back is what the clerk chose about the row the run wrote.
/// </summary>
/// <remarks>
/// Column widths must be in the sheet before its rows, and the rows come from spill files: so the widths are measured
/// while the report is written (<see cref="Measure"/>) and the rows streamed at the end (<see cref="WriteAsync"/>). The
/// package is written straight into a zip archive in create mode, one part after another: a part written through the
/// SDK's package API is held in memory whole until the package closes, which for a sheet of a hundred thousand rows is
/// hundreds of megabytes. Every text is an inline string cell: no shared table to hold, and never a formula.
/// </remarks>
public sealed class ReconcileWorkbook
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string OfficeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";

    /// <summary>A sheet holds at most this many rows below its header (Excel's limit); the rest are in the CSV.</summary>
    public const int MaxRowsPerSheet = 1_048_575;

    /// <summary>The text column beside 生年月日 that keeps the report's 和暦 form (and a 不詳 date, which is no date).</summary>
    public const string WarekiHeader = "生年月日（和暦）";

    private const int MinWidth = 6;
    private const int TextCap = 30;
    private const int WrapCap = 50;
    // A header cell also shows the filter's drop-down button.
    private const int FilterButton = 3;

    private static readonly Encoding Utf8 = new UTF8Encoding(false);
    private static readonly DateTimeOffset PartTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
    // Excel's serial day 1 is 1900-01-01, counted as if 1900 were a leap year: exact from 1900-03-01 on.
    private static readonly DateOnly FirstSerialDate = new(1900, 3, 1);
    private static readonly int SerialEpoch = new DateOnly(1899, 12, 30).DayNumber;

    private enum Kind { Number, Text, Code, Score, Date, Wareki, Wrap, Choice, ClerkAtena, Fingerprint }

    private sealed record Column(string Header, Kind Kind, int Source)
    {
        public int Cap => Kind is Kind.Wrap ? WrapCap : TextCap;
    }

    private static readonly Column[] ReportColumns = LayReportColumns();

    private static readonly Column[] DecidableColumns =
    [
        .. ReportColumns,
        new(DecisionColumns.Choice, Kind.Choice, -1),
        new(DecisionColumns.ClerkAtena, Kind.ClerkAtena, -1),
        new(DecisionColumns.Fingerprint, Kind.Fingerprint, -1),
    ];

    /// <summary>The report's columns as the workbook lays them: 生年月日 split in a date and its 和暦 text, each with how it is written.</summary>
    private static Column[] LayReportColumns()
    {
        var columns = new List<Column>();
        for (var i = 0; i < ReconcileReportRow.Headers.Count; i++)
        {
            var header = ReconcileReportRow.Headers[i];
            switch (header)
            {
                case "実行番号" or "行番号":
                    columns.Add(new(header, Kind.Number, i));
                    break;
                case "基礎年金番号" or "宛名番号":
                    columns.Add(new(header, Kind.Code, i));
                    break;
                case "一致度":
                    columns.Add(new(header, Kind.Score, i));
                    break;
                case "生年月日":
                    columns.Add(new(header, Kind.Date, i));
                    columns.Add(new(WarekiHeader, Kind.Wareki, i));
                    break;
                case "根拠" or "差異" or "対応" or "他候補":
                    columns.Add(new(header, Kind.Wrap, i));
                    break;
                default:
                    columns.Add(new(header, Kind.Text, i));
                    break;
            }
        }
        return [.. columns];
    }

    /// <summary>A sheet's columns, in order: the report's, and on a sheet a clerk decides the decision columns after them.</summary>
    public static IReadOnlyList<string> HeadersOf(Verdict verdict) => ColumnsOf(verdict).Select(c => c.Header).ToList();

    private static Column[] ColumnsOf(Verdict verdict) => DecisionColumns.IsDecidable(verdict) ? DecidableColumns : ReportColumns;

    private static readonly IReadOnlyList<Verdict> SheetVerdicts = Verdicts.All.Where(v => v != Verdict.Match).ToList();

    private readonly long _runId;
    private readonly Dictionary<Verdict, int[]> _widths = [];

    public ReconcileWorkbook(long runId)
    {
        _runId = runId;
        foreach (var verdict in SheetVerdicts)
        {
            var columns = ColumnsOf(verdict);
            var widths = new int[columns.Length];
            for (var c = 0; c < columns.Length; c++)
            {
                widths[c] = DisplayWidth(columns[c].Header) + FilterButton;
                if (columns[c].Kind == Kind.Choice) widths[c] = Math.Max(widths[c], DecisionColumns.Choices.Max(DisplayWidth) + FilterButton);
            }
            _widths[verdict] = widths;
        }
    }

    /// <summary>Widens the columns of the row's sheet to its cells (a 一致 row has no sheet). Called as the report is written.</summary>
    public void Measure(Verdict verdict, string[] cells, DateOnly? birthDate, string? fingerprint)
    {
        if (!_widths.TryGetValue(verdict, out var widths)) return;
        var columns = ColumnsOf(verdict);
        for (var c = 0; c < columns.Length; c++)
        {
            var column = columns[c];
            if (widths[c] >= column.Cap) continue;
            var width = column.Kind switch
            {
                Kind.Date => birthDate is null ? 0 : 10,
                Kind.Choice or Kind.ClerkAtena => 0,
                Kind.Fingerprint => fingerprint?.Length ?? 0,
                _ => DisplayWidth(cells[column.Source]),
            };
            if (width > widths[c]) widths[c] = width;
        }
    }

    /// <summary>
    /// How wide a text shows in a fixed-pitch reading of it: an East Asian wide or full-width character (漢字, かな,
    /// 全角 letters, the ideographic space) takes two columns, anything else one (半角 カナ included).
    /// </summary>
    public static int DisplayWidth(string text)
    {
        var width = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                // Outside the basic plane: the CJK extensions and emoji, all wide.
                width += 2;
                i++;
                continue;
            }
            width += IsWide(c) ? 2 : 1;
        }
        return width;
    }

    private static bool IsWide(char c) => c >= '\u1100' && (c <= '\u115F'
        || (c is >= '\u2E80' and <= '\uA4CF' && c != '\u303F')
        || c is >= '\uAC00' and <= '\uD7A3'
        || c is >= '\uF900' and <= '\uFAFF'
        || c is >= '\uFE10' and <= '\uFE19'
        || c is >= '\uFE30' and <= '\uFE6F'
        || c is >= '\uFF00' and <= '\uFF60'
        || c is >= '\uFFE0' and <= '\uFFE6');

    private static double ExcelWidth(int displayWidth, int cap) => Math.Clamp(displayWidth, MinWidth, cap) + 1;

    /// <summary>
    /// The height of a row whose wrapped cells have these texts in columns this wide, or null for one line (the default
    /// height). Neither LibreOffice nor a printout fits a row's height to wrapped text by itself, so the writer estimates
    /// it from the display widths: a line per column width's worth of text, at the default font's line height.
    /// </summary>
    private static double? HeightOf(IEnumerable<(string Text, double Width)> wrapped)
    {
        var lines = 1;
        foreach (var (text, width) in wrapped)
        {
            if (text.Length == 0) continue;
            var perLine = Math.Max(1, (int)width);
            lines = Math.Max(lines, (DisplayWidth(text) + perLine - 1) / perLine);
        }
        return lines == 1 ? null : Math.Min(409, LinePadding + LineHeight * lines);
    }

    private const double LineHeight = 15, LinePadding = 4;

    /// <summary>What a clerk does with the rows of each 判定, as the summary sheet says it.</summary>
    public static string WhatToDo(Verdict verdict) => verdict switch
    {
        Verdict.Match => "対応は不要です（シートはありません。行は CSV にあります）",
        Verdict.Differs => "差異欄の項目を住基・届書と照らし、対応欄のとおり処理する",
        Verdict.NotOnFile => "住基で該当者を探し、見つかれば宛名番号（職員入力）に宛名番号を入力する。いなければ判断欄で「別人（市未登録）」を選ぶ（転入前・他市区町村の届出でないかも確認）。nenkin-reconcile decide で反映する",
        Verdict.Review => "判断欄で候補を選ぶか宛名番号（職員入力）に宛名番号を入力し、nenkin-reconcile decide で反映する。候補にいなければ「別人（市未登録）」、決められなければ「保留」",
        Verdict.Returned => "返戻理由を確認し、届出人に連絡して再提出を依頼する",
        Verdict.Unreflected => "届書を機構へ送付したか、送付済みなら機構での処理状況を確認する",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    private static readonly string[] HowToDecide =
    [
        $"要確認・市未登録のシートでは、行ごとに「{DecisionColumns.Choice}」を選ぶか「{DecisionColumns.ClerkAtena}」を入力して保存し、nenkin-reconcile decide にこのファイルを指定して反映します。",
        $"{DecisionColumns.Choice}: 一覧から選びます。{DecisionColumns.Candidate1}～{DecisionColumns.Candidate3} は他候補欄に並ぶ順の候補、「{DecisionColumns.Different}」は候補のどれでもない人、「{DecisionColumns.Hold}」は今回は決めない行です。",
        $"{DecisionColumns.ClerkAtena}: 候補にない人に決めたときに、その人の宛名番号を入力します。",
        "この二つの欄のほかは書き換えられないようシートを保護しています（パスワードはありません）。フィルター、列幅・行の高さの変更はできます。",
        $"{DecisionColumns.Fingerprint}（非表示の列）は、判断がほかの行やほかの実行の照合結果に反映されないよう行を確かめるものです。消したり書き換えたりしないでください。",
        "シートの名前や順番を変えても、見出し行が残っていれば読み取れます。",
    ];

    private sealed record Sheet(string Name, Verdict? Verdict, long Rows, string Part)
    {
        public string Quoted => "'" + Name.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>
    /// Writes the workbook to <paramref name="output"/>: 集計 from <paramref name="summary"/> and <paramref name="counts"/>,
    /// then each 判定's sheet from <paramref name="rows"/>, which yields exactly <paramref name="counts"/> rows for it.
    /// </summary>
    public async Task WriteAsync(Stream output, IReadOnlyList<(string Label, string Value)> summary, IReadOnlyDictionary<Verdict, long> counts,
        Func<Verdict, CancellationToken, IAsyncEnumerable<List<WorkbookRow>>> rows, CancellationToken cancellationToken)
    {
        var sheets = new List<Sheet> { new("集計", null, 0, "xl/worksheets/sheet1.xml") };
        foreach (var verdict in SheetVerdicts)
            sheets.Add(new(verdict.Label(), verdict, Math.Min(counts.GetValueOrDefault(verdict), MaxRowsPerSheet), $"xl/worksheets/sheet{sheets.Count + 1}.xml"));

        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        WriteXml(zip, "[Content_Types].xml", xml => ContentTypes(xml, sheets));
        WriteXml(zip, "_rels/.rels", xml => Relationships(xml, [("rId1", OfficeRelationships + "/officeDocument", "xl/workbook.xml")]));
        WriteXml(zip, "xl/workbook.xml", xml => WorkbookXml(xml, sheets));
        WriteXml(zip, "xl/_rels/workbook.xml.rels", xml => Relationships(xml,
            [.. sheets.Select((s, i) => ($"rId{i + 1}", OfficeRelationships + "/worksheet", s.Part["xl/".Length..])), ($"rId{sheets.Count + 1}", OfficeRelationships + "/styles", "styles.xml")]));
        using (var stream = Entry(zip, "xl/styles.xml"))
        using (var writer = OpenXmlWriter.Create(stream, Utf8))
        {
            writer.WriteStartDocument();
            writer.WriteElement(Styles.Sheet());
        }
        using (var stream = Entry(zip, sheets[0].Part))
        {
            WriteSummary(stream, summary, counts);
        }
        foreach (var sheet in sheets.Skip(1))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var stream = Entry(zip, sheet.Part);
            await WriteSheetAsync(stream, sheet, rows(sheet.Verdict!.Value, cancellationToken), cancellationToken);
        }
    }

    private static Stream Entry(ZipArchive zip, string name)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        // A fixed time: the same report is the same bytes.
        entry.LastWriteTime = PartTime;
        return entry.Open();
    }

    private static void WriteXml(ZipArchive zip, string name, Action<XmlWriter> write)
    {
        using var stream = Entry(zip, name);
        using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = Utf8 });
        xml.WriteStartDocument(standalone: true);
        write(xml);
        xml.WriteEndDocument();
    }

    private static void ContentTypes(XmlWriter xml, List<Sheet> sheets)
    {
        const string ns = "http://schemas.openxmlformats.org/package/2006/content-types";
        const string office = "application/vnd.openxmlformats-officedocument.spreadsheetml.";
        xml.WriteStartElement("Types", ns);
        Default("rels", "application/vnd.openxmlformats-package.relationships+xml");
        Default("xml", "application/xml");
        Override("/xl/workbook.xml", office + "sheet.main+xml");
        Override("/xl/styles.xml", office + "styles+xml");
        foreach (var sheet in sheets) Override("/" + sheet.Part, office + "worksheet+xml");
        xml.WriteEndElement();

        void Default(string extension, string type)
        {
            xml.WriteStartElement("Default", ns);
            xml.WriteAttributeString("Extension", extension);
            xml.WriteAttributeString("ContentType", type);
            xml.WriteEndElement();
        }
        void Override(string part, string type)
        {
            xml.WriteStartElement("Override", ns);
            xml.WriteAttributeString("PartName", part);
            xml.WriteAttributeString("ContentType", type);
            xml.WriteEndElement();
        }
    }

    private static void Relationships(XmlWriter xml, IEnumerable<(string Id, string Type, string Target)> relationships)
    {
        xml.WriteStartElement("Relationships", PackageRelationships);
        foreach (var (id, type, target) in relationships)
        {
            xml.WriteStartElement("Relationship", PackageRelationships);
            xml.WriteAttributeString("Id", id);
            xml.WriteAttributeString("Type", type);
            xml.WriteAttributeString("Target", target);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    /// <summary>
    /// The workbook part, in the default namespace as Excel writes it: the sheets and, per data sheet, the names Excel
    /// keeps for its filter (<c>_xlnm._FilterDatabase</c>) and its print titles (<c>_xlnm.Print_Titles</c>).
    /// </summary>
    private static void WorkbookXml(XmlWriter xml, List<Sheet> sheets)
    {
        xml.WriteStartElement("workbook", Main);
        xml.WriteAttributeString("xmlns", "r", null, OfficeRelationships);
        xml.WriteStartElement("bookViews", Main);
        xml.WriteStartElement("workbookView", Main);
        xml.WriteAttributeString("activeTab", "0");
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteStartElement("sheets", Main);
        for (var i = 0; i < sheets.Count; i++)
        {
            xml.WriteStartElement("sheet", Main);
            xml.WriteAttributeString("name", sheets[i].Name);
            xml.WriteAttributeString("sheetId", Invariant(i + 1));
            xml.WriteAttributeString("id", OfficeRelationships, $"rId{i + 1}");
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteStartElement("definedNames", Main);
        for (var i = 0; i < sheets.Count; i++)
        {
            if (sheets[i].Verdict is not null) DefinedName("_xlnm._FilterDatabase", i, hidden: true, $"{sheets[i].Quoted}!{Absolute(FilterRange(sheets[i]))}");
        }
        for (var i = 0; i < sheets.Count; i++)
        {
            if (sheets[i].Verdict is not null) DefinedName("_xlnm.Print_Titles", i, hidden: false, $"{sheets[i].Quoted}!$1:$1");
        }
        xml.WriteEndElement();
        xml.WriteEndElement();

        void DefinedName(string name, int sheet, bool hidden, string value)
        {
            xml.WriteStartElement("definedName", Main);
            xml.WriteAttributeString("name", name);
            xml.WriteAttributeString("localSheetId", Invariant(sheet));
            if (hidden) xml.WriteAttributeString("hidden", "1");
            xml.WriteString(value);
            xml.WriteEndElement();
        }
    }

    private static string FilterRange(Sheet sheet) => $"A1:{ColumnName(ColumnsOf(sheet.Verdict!.Value).Length - 1)}{sheet.Rows + 1}";

    private static string Absolute(string range) => string.Join(':', range.Split(':').Select(cell =>
    {
        var digits = cell.IndexOfAny("0123456789".ToCharArray());
        return $"${cell[..digits]}${cell[digits..]}";
    }));

    /// <summary>A1-style letters of a zero-based column.</summary>
    public static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task WriteSheetAsync(Stream part, Sheet sheet, IAsyncEnumerable<List<WorkbookRow>> rows, CancellationToken cancellationToken)
    {
        var verdict = sheet.Verdict!.Value;
        var columns = ColumnsOf(verdict);
        var widths = columns.Select((c, i) => ExcelWidth(_widths[verdict][i], c.Cap)).ToArray();
        var wrapped = columns.Select((c, i) => (Column: c, Width: widths[i])).Where(c => c.Column.Kind == Kind.Wrap).ToArray();

        using var cells = new WorksheetWriter(part, SheetFrame(sheet, columns, widths), columns.Length);
        cells.StartRow(1);
        foreach (var column in columns) cells.Text(column.Header, Styles.Header);
        cells.EndRow();
        long rowNumber = 1;
        await foreach (var batch in rows.WithCancellation(cancellationToken))
        {
            foreach (var row in batch)
            {
                if (rowNumber > sheet.Rows) break;
                cells.StartRow(++rowNumber, HeightOf(wrapped.Select(c => (row.Cells[c.Column.Source], c.Width))));
                foreach (var column in columns) WriteCell(cells, column, row);
                cells.EndRow();
            }
        }
        cells.Finish();
    }

    /// <summary>A 判定's sheet but its rows: frozen below the header and right of 氏名, fitted columns, the filter, and on a sheet a clerk decides the protection and the input cells' rules.</summary>
    private Worksheet SheetFrame(Sheet sheet, Column[] columns, double[] widths)
    {
        var decidable = DecisionColumns.IsDecidable(sheet.Verdict!.Value);
        var last = ColumnName(columns.Length - 1);
        var lastRow = sheet.Rows + 1;
        var split = Array.FindIndex(columns, c => c.Header == "氏名") + 1;
        var topLeft = ColumnName(split) + "2";

        var frame = new Worksheet();
        // The sheets that ask for a decision stand out among the tabs.
        var properties = new SheetProperties();
        if (decidable) properties.Append(new TabColor { Rgb = "FFED7D31" });
        properties.Append(new PageSetupProperties { FitToPage = true });
        frame.Append(properties);
        frame.Append(new SheetDimension { Reference = $"A1:{last}{lastRow}" });
        frame.Append(new SheetViews(new SheetView(
            new Pane { HorizontalSplit = split, VerticalSplit = 1, TopLeftCell = topLeft, ActivePane = PaneValues.BottomRight, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.TopRight },
            new Selection { Pane = PaneValues.BottomLeft },
            new Selection { Pane = PaneValues.BottomRight, ActiveCell = topLeft, SequenceOfReferences = new ListValue<StringValue> { InnerText = topLeft } })
        { WorkbookViewId = 0 }));
        frame.Append(new Columns(columns.Select((c, i) => new DocumentFormat.OpenXml.Spreadsheet.Column
        {
            Min = (uint)i + 1, Max = (uint)i + 1, Width = widths[i], CustomWidth = true,
            Hidden = c.Kind == Kind.Fingerprint ? true : null,
        })));
        frame.Append(new SheetData());
        if (decidable)
        {
            // No password: the protection keeps a slip from changing the report, it is no lock against the clerk. Filtering
            // and widening stay open to the clerk (an attribute here says what is protected; false leaves it open).
            frame.Append(new SheetProtection
            {
                Sheet = true, Objects = true, Scenarios = true, FormatColumns = false, FormatRows = false, Sort = false, AutoFilter = false,
            });
        }
        frame.Append(new AutoFilter { Reference = $"A1:{last}{lastRow}" });
        if (decidable && sheet.Rows > 0)
        {
            var choice = ColumnName(Array.FindIndex(columns, c => c.Kind == Kind.Choice));
            var atena = ColumnName(Array.FindIndex(columns, c => c.Kind == Kind.ClerkAtena));
            frame.Append(new DataValidations(
                new DataValidation(new Formula1("\"" + string.Join(',', DecisionColumns.Choices) + "\""))
                {
                    Type = DataValidationValues.List, AllowBlank = true, ShowInputMessage = true, ShowErrorMessage = true,
                    ErrorStyle = DataValidationErrorStyleValues.Stop, ErrorTitle = "判断の値",
                    Error = $"一覧から選んでください（{string.Join("、", DecisionColumns.Choices)}）。",
                    PromptTitle = DecisionColumns.Choice,
                    Prompt = "一覧から選びます。候補にない人なら空けたまま右の宛名番号（職員入力）に入力します。",
                    SequenceOfReferences = new ListValue<StringValue> { InnerText = $"{choice}2:{choice}{lastRow}" },
                },
                new DataValidation
                {
                    AllowBlank = true, ShowInputMessage = true,
                    PromptTitle = DecisionColumns.ClerkAtena,
                    Prompt = "候補にない人に決めたとき、その人の宛名番号を入力します。",
                    SequenceOfReferences = new ListValue<StringValue> { InnerText = $"{atena}2:{atena}{lastRow}" },
                })
            { Count = 2 });
        }
        AppendPrintSetup(frame, withTitle: true);
        var codes = columns.Select((c, i) => (c, i)).Where(x => x.c.Kind is Kind.Code or Kind.ClerkAtena)
            .Select(x => $"{ColumnName(x.i)}2:{ColumnName(x.i)}{Math.Max(lastRow, 2)}");
        frame.Append(new IgnoredErrors(new IgnoredError { NumberStoredAsText = true, SequenceOfReferences = new ListValue<StringValue> { InnerText = string.Join(' ', codes) } }));
        return frame;
    }

    private void AppendPrintSetup(Worksheet frame, bool withTitle)
    {
        frame.Append(new PageMargins { Left = 0.4, Right = 0.4, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 });
        frame.Append(new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape, FitToWidth = 1, FitToHeight = 0 });
        // Left the run, right the page; the footer names the sheet, so a loose page says where it belongs.
        var headerFooter = new HeaderFooter();
        if (withTitle) headerFooter.Append(new OddHeader($"&L照合結果（実行番号 {Invariant(_runId)}）"));
        headerFooter.Append(new OddFooter("&L&A&R&P / &N"));
        frame.Append(headerFooter);
    }

    private static void WriteCell(WorksheetWriter cells, Column column, WorkbookRow row)
    {
        switch (column.Kind)
        {
            case Kind.Number:
                var text = row.Cells[column.Source];
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number < 1_000_000_000_000_000L) cells.Number(number, Styles.Integer);
                else cells.Text(text, Styles.Text);
                break;
            case Kind.Score:
                var score = row.Cells[column.Source];
                if (double.TryParse(score, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
                    cells.Number(value, Styles.Score);
                else cells.Text(score, Styles.Text);
                break;
            case Kind.Date:
                if (row.BirthDate is { } date && date >= FirstSerialDate) cells.Number(date.DayNumber - SerialEpoch, Styles.Date);
                else cells.Empty(Styles.Date);
                break;
            case Kind.Code:
                cells.Text(row.Cells[column.Source], Styles.Code);
                break;
            case Kind.Wrap:
                cells.Text(row.Cells[column.Source], Styles.Wrap);
                break;
            case Kind.Choice:
                cells.Empty(Styles.Choice);
                break;
            case Kind.ClerkAtena:
                cells.Empty(Styles.ClerkAtena);
                break;
            case Kind.Fingerprint:
                cells.Text(row.Fingerprint ?? "", Styles.Text);
                break;
            default:
                cells.Text(row.Cells[column.Source], Styles.Text);
                break;
        }
    }

    private void WriteSummary(Stream part, IReadOnlyList<(string Label, string Value)> summary, IReadOnlyDictionary<Verdict, long> counts)
    {
        var title = $"照合結果（実行番号 {Invariant(_runId)}）";
        var table = Verdicts.All.Select(v => (Verdict: v, Count: counts.GetValueOrDefault(v))).ToList();
        var cut = SheetVerdicts.Where(v => counts.GetValueOrDefault(v) > MaxRowsPerSheet).ToList();
        string[] header = ["判定", "件数", "意味", "すること"];
        int[] widths =
        [
            new[] { header[0] }.Concat(summary.Select(s => s.Label)).Concat(table.Select(t => t.Verdict.Label())).Max(DisplayWidth) + 2,
            Math.Max(DisplayWidth(header[1]), summary.Select(s => DisplayWidth(s.Value)).DefaultIfEmpty(0).Max()) + 2,
            table.Select(t => DisplayWidth(t.Verdict.Meaning())).Append(DisplayWidth(header[2])).Max(),
            table.Select(t => DisplayWidth(WhatToDo(t.Verdict))).Append(DisplayWidth(header[3])).Max(),
        ];
        int[] caps = [TextCap, 40, WrapCap, 60];
        var summaryWidths = widths.Select((w, i) => ExcelWidth(w, caps[i])).ToArray();

        var frame = new Worksheet(
            new SheetProperties(new PageSetupProperties { FitToPage = true }),
            new SheetViews(new SheetView { WorkbookViewId = 0, TabSelected = true }),
            new Columns(summaryWidths.Select((w, i) => new DocumentFormat.OpenXml.Spreadsheet.Column
            {
                Min = (uint)i + 1, Max = (uint)i + 1, Width = w, CustomWidth = true,
            })),
            new SheetData());
        AppendPrintSetup(frame, withTitle: false);
        using var cells = new WorksheetWriter(part, frame, header.Length);
        long row = 0;
        cells.StartRow(++row);
        cells.Text(title, Styles.Title);
        cells.EndRow();
        row++;
        foreach (var (label, value) in summary)
        {
            cells.StartRow(++row, HeightOf([(value, summaryWidths[1])]));
            cells.Text(label, Styles.Header);
            cells.Text(value, Styles.Wrap);
            cells.EndRow();
        }
        row++;
        cells.StartRow(++row);
        foreach (var text in header) cells.Text(text, Styles.Header);
        cells.EndRow();
        foreach (var (verdict, count) in table)
        {
            cells.StartRow(++row, HeightOf([(verdict.Meaning(), summaryWidths[2]), (WhatToDo(verdict), summaryWidths[3])]));
            cells.Text(verdict.Label(), Styles.Text);
            cells.Number(count, Styles.Count);
            cells.Text(verdict.Meaning(), Styles.Wrap);
            cells.Text(WhatToDo(verdict), Styles.Wrap);
            cells.EndRow();
        }
        if (cut.Count > 0)
        {
            row++;
            cells.StartRow(++row);
            cells.Text($"{string.Join("、", cut.Select(v => v.Label()))}のシートには先頭の {MaxRowsPerSheet:N0} 行だけを載せています（Excel の行数の上限）。すべての行は CSV にあります。", Styles.Note);
            cells.EndRow();
        }
        row++;
        cells.StartRow(++row);
        cells.Text("判断欄の使い方", Styles.Label);
        cells.EndRow();
        foreach (var line in HowToDecide)
        {
            cells.StartRow(++row);
            cells.Text(line, Styles.Note);
            cells.EndRow();
        }
        cells.Finish();
    }

    /// <summary>The workbook's cell formats; the constants are their indexes in <c>cellXfs</c>.</summary>
    private static class Styles
    {
        public const uint Header = 1, Text = 2, Code = 3, Integer = 4, Score = 5, Date = 6, Wrap = 7, Choice = 8, ClerkAtena = 9, Label = 10, Count = 11, Title = 12, Note = 13;

        private const uint DateFormat = 164, ScoreFormat = 165, TextFormat = 49, IntegerFormat = 1, CountFormat = 3;
        private const uint Regular = 0, Bold = 1, Large = 2;
        private const uint HeaderFill = 2, InputFill = 3;
        private const uint Thin = 1;

        public static Stylesheet Sheet() => new(
            new NumberingFormats(
                new NumberingFormat { NumberFormatId = DateFormat, FormatCode = "yyyy-mm-dd" },
                new NumberingFormat { NumberFormatId = ScoreFormat, FormatCode = "0.0" })
            { Count = 2 },
            new Fonts(Font(bold: false, 11), Font(bold: true, 11), Font(bold: true, 14)) { Count = 3 },
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                Solid("FFDDEBF7"),
                Solid("FFFFF2CC"))
            { Count = 4 },
            new Borders(
                new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()),
                new Border(Side(new LeftBorder()), Side(new RightBorder()), Side(new TopBorder()), Side(new BottomBorder()), new DiagonalBorder()))
            { Count = 2 },
            new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
            new CellFormats(
                Format(0, Regular, 0, 0),
                Format(0, Bold, HeaderFill, Thin, vertical: VerticalAlignmentValues.Center),
                Format(0, Regular, 0, Thin),
                Format(TextFormat, Regular, 0, Thin),
                Format(IntegerFormat, Regular, 0, Thin),
                Format(ScoreFormat, Regular, 0, Thin),
                Format(DateFormat, Regular, 0, Thin),
                Format(0, Regular, 0, Thin, wrap: true),
                Format(0, Regular, InputFill, Thin, locked: false),
                Format(TextFormat, Regular, InputFill, Thin, locked: false),
                Format(0, Bold, 0, 0),
                Format(CountFormat, Regular, 0, Thin),
                Format(0, Large, 0, 0),
                Format(0, Regular, 0, 0))
            { Count = 14 },
            new CellStyles(new CellStyle { Name = "標準", FormatId = 0, BuiltinId = 0 }) { Count = 1 });

        // The font Japanese Excel starts a workbook with; LibreOffice substitutes its own Japanese font.
        private static Font Font(bool bold, double size)
        {
            var font = new Font();
            if (bold) font.Append(new Bold());
            font.Append(new FontSize { Val = size }, new FontName { Val = "游ゴシック" }, new FontFamilyNumbering { Val = 3 }, new FontCharSet { Val = 128 });
            return font;
        }

        private static Fill Solid(string rgb) => new(new PatternFill(new ForegroundColor { Rgb = rgb }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid });

        private static T Side<T>(T side) where T : BorderPropertiesType
        {
            side.Style = BorderStyleValues.Thin;
            side.Color = new Color { Rgb = "FFBFBFBF" };
            return side;
        }

        private static CellFormat Format(uint numberFormat, uint font, uint fill, uint border, bool wrap = false, bool locked = true,
            VerticalAlignmentValues? vertical = null)
        {
            var format = new CellFormat(new Alignment { Vertical = vertical ?? VerticalAlignmentValues.Top, WrapText = wrap ? true : null })
            {
                NumberFormatId = numberFormat, FontId = font, FillId = fill, BorderId = border, FormatId = 0,
                ApplyNumberFormat = numberFormat != 0 ? true : null, ApplyFont = font != 0 ? true : null, ApplyFill = fill != 0 ? true : null,
                ApplyBorder = border != 0 ? true : null, ApplyAlignment = true,
            };
            // Every cell is locked unless its format says otherwise: only the clerk's input cells do.
            if (!locked)
            {
                format.Append(new Protection { Locked = false });
                format.ApplyProtection = true;
            }
            return format;
        }
    }
}
