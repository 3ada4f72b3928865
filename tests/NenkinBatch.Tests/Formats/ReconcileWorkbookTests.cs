using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Spreadsheet;
using NenkinBatch.Formats.Reports;

namespace NenkinBatch.Tests.Formats;

/// <summary>
/// The clerk's workbook as written by <see cref="ReconcileReport"/> (docs/formats.md, "The clerk's workbook"), read back
/// through the OpenXml SDK's own reading side, not the writer's code.
/// </summary>
public class ReconcileWorkbookTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nenkin-workbook-").FullName;
    private readonly List<ReconcileReportRow> _rows = ReconcileWorkbookSample.Rows();
    private SpreadsheetDocument _document = null!;
    private string _xlsx = "";

    public async Task InitializeAsync()
    {
        (_, _xlsx) = await ReconcileWorkbookSample.WriteAsync(_directory, _rows);
        _document = SpreadsheetDocument.Open(_xlsx, isEditable: false);
    }

    public Task DisposeAsync()
    {
        _document.Dispose();
        Directory.Delete(_directory, true);
        return Task.CompletedTask;
    }

    private WorkbookPart Book => _document.WorkbookPart!;

    private Worksheet SheetOf(string name) =>
        ((WorksheetPart)Book.GetPartById(Book.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == name).Id!)).Worksheet;

    private Worksheet SheetOf(Verdict verdict) => SheetOf(verdict.Label());

    private int IndexOf(string name) => Book.Workbook.Sheets!.Elements<Sheet>().ToList().FindIndex(s => s.Name == name);

    private static List<Row> RowsOf(Worksheet sheet) => sheet.GetFirstChild<SheetData>()!.Elements<Row>().ToList();

    private static string TextOf(Cell cell) => cell.DataType?.Value == CellValues.InlineString ? cell.InlineString!.InnerText : cell.CellValue?.Text ?? "";

    private static List<string> HeaderOf(Worksheet sheet) => RowsOf(sheet)[0].Elements<Cell>().Select(TextOf).ToList();

    /// <summary>The cell under <paramref name="header"/> in the given data row (1 = the first row below the header).</summary>
    private static Cell CellOf(Worksheet sheet, string header, int dataRow) => RowsOf(sheet)[dataRow].Elements<Cell>().ElementAt(HeaderOf(sheet).IndexOf(header));

    private CellFormat FormatOf(Cell cell) => Book.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ElementAt((int)(cell.StyleIndex?.Value ?? 0));

    private double WidthOf(Worksheet sheet, string header)
    {
        var index = (uint)HeaderOf(sheet).IndexOf(header) + 1;
        return sheet.GetFirstChild<Columns>()!.Elements<Column>().Single(c => c.Min! <= index && c.Max! >= index).Width!.Value;
    }

    private string? DefinedName(string name, int sheet) =>
        Book.Workbook.DefinedNames?.Elements<DefinedName>().SingleOrDefault(d => d.Name == name && d.LocalSheetId?.Value == (uint)sheet)?.Text;

    private List<ReconcileReportRow> RowsOf(Verdict verdict) => _rows.Where(r => r.Verdict == verdict).ToList();

    [Fact]
    public void TheWorkbook_IsValidAgainstTheOfficeSchema()
    {
        // What Excel would call a damaged file (elements out of order, a missing attribute) shows here first.
        var errors = new OpenXmlValidator(FileFormatVersions.Office2019).Validate(_document)
            .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
        errors.ShouldBeEmpty();
    }

    [Fact]
    public void Sheets_SummaryFirst_ThenEveryVerdictButMatch_WithTheReportsRows()
    {
        Book.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value).ShouldBe(["集計", "差異あり", "市未登録", "要確認", "返戻", "機構未反映"]);
        foreach (var verdict in Verdicts.All.Where(v => v != Verdict.Match))
        {
            var sheet = SheetOf(verdict);
            RowsOf(sheet).Count.ShouldBe(RowsOf(verdict).Count + 1, verdict.Label());
            RowsOf(sheet).Skip(1).Select((row, i) => TextOf(CellOf(sheet, "氏名", i + 1))).ShouldBe(RowsOf(verdict).Select(r => r.Name), verdict.Label());
        }
    }

    [Fact]
    public void Columns_FittedToTheirContent_WideCharactersCountDouble_LongTextsCapped()
    {
        var sheet = SheetOf(Verdict.Review);
        // The kana is 半角 and as long in characters as the longest name, which is 全角: half as wide.
        var longest = _rows.Where(r => r.Verdict == Verdict.Review).Max(r => ReconcileWorkbook.DisplayWidth(r.Name));
        longest.ShouldBe(30);
        WidthOf(sheet, "氏名").ShouldBe(31);
        WidthOf(sheet, "カナ氏名").ShouldBe(ReconcileWorkbook.DisplayWidth("カナ氏名") + 3 + 1);
        WidthOf(sheet, "行番号").ShouldBeLessThan(12);
        // 根拠 is longer than the cap: capped and wrapped.
        WidthOf(sheet, "根拠").ShouldBe(51);
        WidthOf(sheet, "判定").ShouldBeGreaterThanOrEqualTo(7);
        sheet.GetFirstChild<Columns>()!.Elements<Column>().ShouldAllBe(c => c.Width! >= 7 && c.Width! <= 51 && c.CustomWidth!);
        ReconcileWorkbook.DisplayWidth("山田ﾀﾛｳ A　").ShouldBe(2 + 2 + 3 + 1 + 1 + 2);
    }

    [Fact]
    public void Header_BoldOnAFill_FrozenBelowItAndRightOfTheName()
    {
        foreach (var verdict in Verdicts.All.Where(v => v != Verdict.Match))
        {
            var sheet = SheetOf(verdict);
            foreach (var cell in RowsOf(sheet)[0].Elements<Cell>())
            {
                var format = FormatOf(cell);
                var font = Book.WorkbookStylesPart!.Stylesheet.Fonts!.Elements<Font>().ElementAt((int)format.FontId!.Value);
                font.Bold.ShouldNotBeNull();
                var fill = Book.WorkbookStylesPart.Stylesheet.Fills!.Elements<Fill>().ElementAt((int)format.FillId!.Value).PatternFill!;
                fill.PatternType!.Value.ShouldBe(PatternValues.Solid);
                fill.ForegroundColor!.Rgb!.Value.ShouldNotBeNullOrEmpty();
            }
            var pane = sheet.GetFirstChild<SheetViews>()!.GetFirstChild<SheetView>()!.Pane!;
            var name = HeaderOf(sheet).IndexOf("氏名");
            name.ShouldBe(6);
            pane.HorizontalSplit!.Value.ShouldBe(name + 1);
            pane.VerticalSplit!.Value.ShouldBe(1);
            pane.TopLeftCell!.Value.ShouldBe("H2");
            pane.State!.Value.ShouldBe(PaneStateValues.Frozen);
        }
    }

    [Fact]
    public void EveryDataSheet_HasAFilterOverHeaderAndRows_AndExcelsHiddenName()
    {
        foreach (var verdict in Verdicts.All.Where(v => v != Verdict.Match))
        {
            var sheet = SheetOf(verdict);
            var last = ReconcileWorkbook.ColumnName(HeaderOf(sheet).Count - 1);
            var rows = RowsOf(verdict).Count + 1;
            sheet.GetFirstChild<AutoFilter>()!.Reference!.Value.ShouldBe($"A1:{last}{rows}");
            var name = Book.Workbook.DefinedNames!.Elements<DefinedName>().Single(d => d.Name == "_xlnm._FilterDatabase" && d.LocalSheetId! == (uint)IndexOf(verdict.Label()));
            name.Hidden!.Value.ShouldBeTrue();
            name.Text.ShouldBe($"'{verdict.Label()}'!$A$1:${last}${rows}");
        }
        SheetOf("集計").GetFirstChild<AutoFilter>().ShouldBeNull();
    }

    [Fact]
    public void LongTexts_Wrap_OtherColumnsDoNot()
    {
        var sheet = SheetOf(Verdict.Differs);
        foreach (var header in HeaderOf(sheet))
        {
            var wraps = FormatOf(CellOf(sheet, header, 1)).Alignment?.WrapText?.Value ?? false;
            wraps.ShouldBe(header is "根拠" or "差異" or "対応" or "他候補", header);
        }
    }

    [Fact]
    public void BirthDate_ARealDateWithItsWarekiBeside_AnUnknownDateOnlyAsText()
    {
        var sheet = SheetOf(Verdict.Differs);
        var headers = HeaderOf(sheet);
        headers.IndexOf(ReconcileWorkbook.WarekiHeader).ShouldBe(headers.IndexOf("生年月日") + 1);
        var date = CellOf(sheet, "生年月日", 1);
        (date.DataType is null || date.DataType.Value == CellValues.Number).ShouldBeTrue();
        // 1943-09-06 is Excel's serial day 15955.
        date.CellValue!.Text.ShouldBe("15955");
        var format = FormatOf(date);
        Book.WorkbookStylesPart!.Stylesheet.NumberingFormats!.Elements<NumberingFormat>().Single(n => n.NumberFormatId! == format.NumberFormatId!).FormatCode!.Value.ShouldBe("yyyy-mm-dd");
        TextOf(CellOf(sheet, ReconcileWorkbook.WarekiHeader, 1)).ShouldBe("1943-09-06（昭和18年9月6日）");

        var unreflected = SheetOf(Verdict.Unreflected);
        var unknown = RowsOf(Verdict.Unreflected).FindIndex(r => r.BirthDateValue is null) + 1;
        CellOf(unreflected, "生年月日", unknown).CellValue.ShouldBeNull();
        TextOf(CellOf(unreflected, ReconcileWorkbook.WarekiHeader, unknown)).ShouldBe(ReconcileWorkbookSample.UnknownBirth);
    }

    [Fact]
    public void Codes_StayText_LineAndRunAreNumbers()
    {
        var sheet = SheetOf(Verdict.Differs);
        var pension = CellOf(sheet, "基礎年金番号", 1);
        pension.DataType!.Value.ShouldBe(CellValues.InlineString);
        TextOf(pension).ShouldBe(ReconcileWorkbookSample.LeadingZero);
        FormatOf(pension).NumberFormatId!.Value.ShouldBe(49u);
        var atena = CellOf(sheet, "宛名番号", 1);
        atena.DataType!.Value.ShouldBe(CellValues.InlineString);
        FormatOf(atena).NumberFormatId!.Value.ShouldBe(49u);
        foreach (var header in new[] { "実行番号", "行番号" })
        {
            var cell = CellOf(sheet, header, 1);
            cell.DataType.ShouldBeNull(header);
            cell.CellValue!.Text.ShouldBe(RowsOf(Verdict.Differs)[0].Cells()[ReconcileReportRow.Headers.ToList().IndexOf(header)]);
        }
    }

    [Fact]
    public void EverySheet_PrintsLandscapeOnePageWide_WithTheHeaderOnEveryPage_AndNamedPages()
    {
        foreach (var (sheet, index) in Book.Workbook.Sheets!.Elements<Sheet>().Select((s, i) => (SheetOf(s.Name!), i)))
        {
            var setup = sheet.GetFirstChild<PageSetup>()!;
            setup.Orientation!.Value.ShouldBe(OrientationValues.Landscape);
            setup.FitToWidth!.Value.ShouldBe(1u);
            setup.FitToHeight!.Value.ShouldBe(0u);
            sheet.SheetProperties!.PageSetupProperties!.FitToPage!.Value.ShouldBeTrue();
            var footer = sheet.GetFirstChild<HeaderFooter>()!.OddFooter!.Text!;
            footer.ShouldContain("&A");
            footer.ShouldContain("&P / &N");
            var margins = sheet.GetFirstChild<PageMargins>()!;
            margins.Left!.Value.ShouldBeInRange(0.2, 1.0);
            margins.Top!.Value.ShouldBeInRange(0.2, 1.0);
            if (index > 0) DefinedName("_xlnm.Print_Titles", index).ShouldBe($"'{Book.Workbook.Sheets!.Elements<Sheet>().ElementAt(index).Name}'!$1:$1");
        }
    }

    [Fact]
    public void DecisionSheets_AListOfExactlyTheChoices_OverEveryRow_ProtectedWithoutPassword()
    {
        foreach (var verdict in Verdicts.All.Where(v => v != Verdict.Match))
        {
            var sheet = SheetOf(verdict);
            var headers = HeaderOf(sheet);
            if (!DecisionColumns.IsDecidable(verdict))
            {
                headers.ShouldNotContain(DecisionColumns.Choice);
                sheet.GetFirstChild<SheetProtection>().ShouldBeNull();
                sheet.GetFirstChild<DataValidations>().ShouldBeNull();
                continue;
            }
            headers.TakeLast(3).ShouldBe([DecisionColumns.Choice, DecisionColumns.ClerkAtena, DecisionColumns.Fingerprint]);
            var rows = RowsOf(verdict).Count + 1;
            var choice = ReconcileWorkbook.ColumnName(headers.IndexOf(DecisionColumns.Choice));
            var list = sheet.GetFirstChild<DataValidations>()!.Elements<DataValidation>().Single(v => v.Type?.Value == DataValidationValues.List);
            list.SequenceOfReferences!.InnerText.ShouldBe($"{choice}2:{choice}{rows}");
            list.Formula1!.Text.ShouldBe("\"候補1,候補2,候補3,別人（市未登録）,保留\"");
            list.Formula1.Text.Trim('"').Split(',').ShouldBe(DecisionColumns.Choices);
            list.ShowErrorMessage!.Value.ShouldBeTrue();
            list.Error!.Value!.ShouldContain("一覧から選んでください");
            list.Prompt!.Value.ShouldNotBeNullOrEmpty();

            var protection = sheet.GetFirstChild<SheetProtection>()!;
            protection.Sheet!.Value.ShouldBeTrue();
            protection.Password.ShouldBeNull();
            protection.HashValue.ShouldBeNull();
            protection.AlgorithmName.ShouldBeNull();
            // In sheetProtection, true protects an action, false leaves it to the clerk.
            protection.AutoFilter!.Value.ShouldBeFalse();
            protection.Sort!.Value.ShouldBeFalse();
            protection.FormatColumns!.Value.ShouldBeFalse();
            protection.FormatRows!.Value.ShouldBeFalse();
        }
    }

    [Fact]
    public void OnlyTheTwoInputCells_AreUnlocked_TheFingerprintColumnIsHidden()
    {
        var stylesheet = Book.WorkbookStylesPart!.Stylesheet;
        // Cells are locked unless their format says otherwise.
        bool Locked(Cell cell) => FormatOf(cell).Protection?.Locked?.Value ?? true;
        foreach (var verdict in new[] { Verdict.Review, Verdict.NotOnFile })
        {
            var sheet = SheetOf(verdict);
            var headers = HeaderOf(sheet);
            foreach (var (row, i) in RowsOf(sheet).Select((r, i) => (r, i)))
            {
                foreach (var (cell, column) in row.Elements<Cell>().Select((c, j) => (c, j)))
                {
                    var input = i > 0 && headers[column] is DecisionColumns.Choice or DecisionColumns.ClerkAtena;
                    Locked(cell).ShouldBe(!input, $"{verdict.Label()} {cell.CellReference}");
                }
            }
            FormatOf(CellOf(sheet, DecisionColumns.ClerkAtena, 1)).NumberFormatId!.Value.ShouldBe(49u);
            var fingerprint = (uint)headers.IndexOf(DecisionColumns.Fingerprint) + 1;
            var columns = sheet.GetFirstChild<Columns>()!.Elements<Column>().ToList();
            columns.Single(c => c.Min! <= fingerprint && c.Max! >= fingerprint).Hidden!.Value.ShouldBeTrue();
            columns.Where(c => c.Max! < fingerprint).ShouldAllBe(c => c.Hidden == null || !c.Hidden.Value);
            RowsOf(sheet).Skip(1).Select((_, i) => TextOf(CellOf(sheet, DecisionColumns.Fingerprint, i + 1)))
                .ShouldBe(RowsOf(verdict).Select(r => r.Fingerprint!.Value.ToString()));
        }
        stylesheet.CellFormats!.Elements<CellFormat>().Count(f => f.Protection?.Locked?.Value == false).ShouldBe(2);
    }

    [Fact]
    public void TextsAFormulaWouldRun_AreStringCells_NoCellIsAFormula()
    {
        var names = Verdicts.All.Where(v => v != Verdict.Match).SelectMany(v =>
        {
            var sheet = SheetOf(v);
            return RowsOf(sheet).Skip(1).Select((_, i) => CellOf(sheet, "氏名", i + 1));
        }).ToList();
        foreach (var injection in ReconcileWorkbookSample.InjectionNames)
        {
            var cell = names.Single(c => TextOf(c) == injection);
            cell.DataType!.Value.ShouldBe(CellValues.InlineString);
            cell.CellFormula.ShouldBeNull();
        }
        foreach (var part in Book.WorksheetParts) part.Worksheet.Descendants<CellFormula>().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("佐藤 & 鈴木 <株> \"様\" 'x'", "佐藤 & 鈴木 <株> \"様\" 'x'")]
    [InlineData(" 前後に空白 ", " 前後に空白 ")]
    [InlineData("一行目\r\n二行目\r三行目\n四行目", "一行目\n二行目\n三行目\n四行目")]
    // A lone surrogate does not survive the test runner's serialisation of a theory's data: {lone} stands for one.
    [InlineData("制御\u0001文字{lone}", "制御\uFFFD文字\uFFFD")]
    [InlineData("𠮷野　髙﨑", "𠮷野　髙﨑")]
    public async Task TextsXmlMustEscape_ReadBackAsTheyWereWritten(string name, string shown)
    {
        var directory = Path.Combine(_directory, "escaped");
        name = name.Replace("{lone}", "\uD800", StringComparison.Ordinal);
        var row = _rows.First(r => r.Verdict == Verdict.Returned) with { Name = name, Evidence = name };
        var (_, xlsx) = await ReconcileWorkbookSample.WriteAsync(directory, [row]);
        using var document = SpreadsheetDocument.Open(xlsx, isEditable: false);
        var book = document.WorkbookPart!;
        var sheet = ((WorksheetPart)book.GetPartById(book.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == Verdict.Returned.Label()).Id!)).Worksheet;

        TextOf(CellOf(sheet, "氏名", 1)).ShouldBe(shown);
        TextOf(CellOf(sheet, "根拠", 1)).ShouldBe(shown);
        CellOf(sheet, "行番号", 1).CellReference!.Value.ShouldBe("C2");
    }

    [Fact]
    public async Task AWriteThatFailsHalfWay_FailsTheReport_WithTheDisksError()
    {
        var rows = ReconcileWorkbookSample.Rows(reviewRows: 20_000);
        await using var disk = new FullDisk(after: 64 * 1024);

        var error = await Should.ThrowAsync<IOException>(() => new ReconcileWorkbook(ReconcileWorkbookSample.RunId).WriteAsync(disk, ReconcileWorkbookSample.Summary,
            rows.GroupBy(r => r.Verdict).ToDictionary(g => g.Key, g => (long)g.Count()),
            (verdict, _) => Batches(rows.Where(r => r.Verdict == verdict)), default));

        error.Message.ShouldBe("No space left on device");
        disk.Written.ShouldBeGreaterThan(1024, "the disk filled up inside a sheet, not at the first byte");
    }

    private static async IAsyncEnumerable<List<WorkbookRow>> Batches(IEnumerable<ReconcileReportRow> rows)
    {
        foreach (var chunk in rows.Chunk(100))
        {
            await Task.Yield();
            yield return chunk.Select(r => new WorkbookRow(r.Cells(), r.BirthDateValue, r.Fingerprint?.ToString())).ToList();
        }
    }

    /// <summary>A disk that fills up after so many bytes.</summary>
    private sealed class FullDisk(long after) : MemoryStream
    {
        public long Written { get; private set; }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Written + buffer.Length > after) throw new IOException("No space left on device");
            Written += buffer.Length;
            base.Write(buffer);
        }
    }

    [Fact]
    public void Summary_RunFacts_ThenEachVerdictsCountMeaningAndWhatToDo_ThenHowToDecide()
    {
        var sheet = SheetOf("集計");
        var rows = RowsOf(sheet).Select(r => r.Elements<Cell>().Select(TextOf).ToList()).ToList();
        rows[0][0].ShouldBe("照合結果（実行番号 42）");
        foreach (var (label, value) in ReconcileWorkbookSample.Summary) rows.ShouldContain(r => r.Count >= 2 && r[0] == label && r[1] == value);
        var header = rows.FindIndex(r => r.SequenceEqual(new[] { "判定", "件数", "意味", "すること" }));
        header.ShouldBeGreaterThan(0);
        foreach (var (verdict, i) in Verdicts.All.Select((v, i) => (v, i)))
        {
            rows[header + 1 + i].ShouldBe([verdict.Label(), _rows.Count(r => r.Verdict == verdict).ToString(CultureInfo.InvariantCulture), verdict.Meaning(), ReconcileWorkbook.WhatToDo(verdict)]);
        }
        RowsOf(sheet)[header + 1].Elements<Cell>().ElementAt(1).DataType.ShouldBeNull();
        ReconcileWorkbook.WhatToDo(Verdict.Review).ShouldContain("nenkin-reconcile decide");
        rows.ShouldContain(r => r[0] == "判断欄の使い方");
        rows.ShouldContain(r => r[0].Contains("パスワードはありません", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoRowsOfAVerdict_ItsSheetHasOnlyTheHeader_AndStillOpens()
    {
        var directory = Path.Combine(_directory, "empty");
        var (_, xlsx) = await ReconcileWorkbookSample.WriteAsync(directory, _rows.Where(r => r.Verdict is Verdict.Match or Verdict.Differs));
        using var document = SpreadsheetDocument.Open(xlsx, isEditable: false);
        var book = document.WorkbookPart!;
        var review = (WorksheetPart)book.GetPartById(book.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == "要確認").Id!);
        review.Worksheet.GetFirstChild<SheetData>()!.Elements<Row>().Count().ShouldBe(1);
        review.Worksheet.GetFirstChild<AutoFilter>()!.Reference!.Value.ShouldEndWith("1");
        review.Worksheet.GetFirstChild<DataValidations>().ShouldBeNull();
    }
}
