using System.Globalization;
using System.IO.Packaging;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace NenkinBatch.Formats.Reports;

/// <summary>
/// A clerk's decision about one row of the workbook: where it is (the sheet's name as saved, and its spreadsheet row
/// number, so an operator can find it), which row it is about (the 照合ID as written) and what the clerk filled in, each
/// trimmed. A 判断 that is none of <see cref="DecisionColumns.Choices"/> comes as written, for the caller to refuse.
/// </summary>
public sealed record WorkbookDecision(string Sheet, int Row, string FingerprintText, string Choice, string ClerkAtena);

/// <summary>
/// Reads the decisions back from the clerk's workbook (docs/formats.md, "The clerk's workbook") after whatever program
/// saved it: Excel and LibreOffice keep texts in a shared table, other libraries inline or as formula results; a 宛名番号
/// typed into a cell Excel took for a number comes back as one; a clerk may re-style, sort or filter the rows, move or
/// rename the sheets. So nothing is taken from the layout the writer chose: a decision sheet is one whose header row has
/// <see cref="DecisionColumns.Fingerprint"/> and a decision column, and each column is found by its header text.
/// </summary>
/// <remarks>
/// The sheets are streamed row by row; only the shared string table (small beside its sheets) is held.
/// </remarks>
public static class ReconcileWorkbookReader
{
    /// <summary>How far down a sheet its header row is looked for: a clerk may put a note above it, not a page.</summary>
    private const int HeaderSearchRows = 50;

    /// <summary>The decisions of every decision sheet, in sheet and row order as saved.</summary>
    /// <exception cref="InputRejectedException">The file is no workbook, or has no decision sheet.</exception>
    public static IReadOnlyList<WorkbookDecision> Read(string path)
    {
        var name = InputFile.DisplayName(path);
        InputFile.EnsureRegularFile(path, name);
        List<WorkbookDecision> decisions = [];
        var found = false;
        try
        {
            using var document = SpreadsheetDocument.Open(path, isEditable: false);
            var workbook = document.WorkbookPart ?? throw NotAWorkbook(name);
            var shared = SharedStrings(workbook.SharedStringTablePart);
            foreach (var sheet in workbook.Workbook?.Sheets?.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>() ?? [])
            {
                if (sheet.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart part) continue;
                found |= ReadSheet(sheet.Name?.Value ?? "", part, shared, decisions);
            }
        }
        catch (Exception e) when (e is OpenXmlPackageException or FileFormatException or InvalidDataException or XmlException or KeyNotFoundException)
        {
            throw NotAWorkbook(name);
        }
        if (!found)
        {
            throw new InputRejectedException(name,
                $"判断を記入するシート（見出しに「{DecisionColumns.Fingerprint}」と「{DecisionColumns.Choice}」または「{DecisionColumns.ClerkAtena}」がある要確認・市未登録のシート）がありません。",
                "nenkin-reconcile が書いた照合結果のブック（reconcile-<実行番号>.xlsx）に記入して保存したものを指定してください。見出し行と照合IDの列は消さないでください。");
        }
        return decisions;
    }

    private static InputRejectedException NotAWorkbook(string name) => new(name,
        "Excel のブック（.xlsx）として読めません（別の形式で保存したファイル、パスワードを付けたファイル、壊れたファイルは読めません）。",
        "照合結果のブックを Excel または LibreOffice で開き、パスワードを付けずに「Excel ブック（.xlsx）」の形式で保存し直してから指定してください。");

    /// <summary>Reads one sheet; false when it has no decision header (a sheet that is not one of them).</summary>
    private static bool ReadSheet(string sheetName, WorksheetPart part, IReadOnlyList<string> shared, List<WorkbookDecision> decisions)
    {
        int? fingerprintColumn = null, choiceColumn = null, atenaColumn = null;
        var rowNumber = 0;
        var rowsSeen = 0;
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (reader.ElementType != typeof(Row) || !reader.IsStartElement) continue;
            var row = (Row)reader.LoadCurrentElement()!;
            rowNumber = row.RowIndex?.Value is { } index ? (int)index : rowNumber + 1;
            rowsSeen++;
            var cells = Cells(row, shared);
            if (fingerprintColumn is null)
            {
                fingerprintColumn = ColumnOf(cells, DecisionColumns.Fingerprint);
                choiceColumn = ColumnOf(cells, DecisionColumns.Choice);
                atenaColumn = ColumnOf(cells, DecisionColumns.ClerkAtena);
                if (fingerprintColumn is not null && (choiceColumn is not null || atenaColumn is not null)) continue;
                fingerprintColumn = null;
                if (rowsSeen >= HeaderSearchRows) return false;
                continue;
            }
            var fingerprint = Trimmed(cells.GetValueOrDefault(fingerprintColumn.Value));
            if (fingerprint.Length == 0) continue;
            var choice = choiceColumn is { } c ? Trimmed(cells.GetValueOrDefault(c)) : "";
            var atena = atenaColumn is { } a ? Trimmed(cells.GetValueOrDefault(a)) : "";
            if (choice.Length == 0 && atena.Length == 0) continue;
            decisions.Add(new WorkbookDecision(sheetName, rowNumber, fingerprint, choice, atena));
        }
        return fingerprintColumn is not null;
    }

    /// <summary>Without white space at either end, the ideographic space and line breaks included.</summary>
    private static string Trimmed(string? text) => text?.Trim() ?? "";

    private static int? ColumnOf(Dictionary<int, string> cells, string header) =>
        cells.Where(c => Trimmed(c.Value) == header).Select(c => (int?)c.Key).Order().FirstOrDefault();

    /// <summary>A row's cells by zero-based column: where a cell has no reference, it follows the one before it.</summary>
    private static Dictionary<int, string> Cells(Row row, IReadOnlyList<string> shared)
    {
        var cells = new Dictionary<int, string>();
        var column = -1;
        foreach (var cell in row.Elements<Cell>())
        {
            column = cell.CellReference?.Value is { } reference && ColumnIndex(reference) is { } at ? at : column + 1;
            cells[column] = TextOf(cell, shared);
        }
        return cells;
    }

    /// <summary>The zero-based column of an A1 reference; null when it has no letters.</summary>
    private static int? ColumnIndex(string reference)
    {
        var index = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            var upper = char.ToUpperInvariant(c);
            if (upper is < 'A' or > 'Z') break;
            index = index * 26 + (upper - 'A' + 1);
            letters++;
            if (letters > 3) return null;
        }
        return letters == 0 ? null : index - 1;
    }

    /// <summary>
    /// A cell as text, whatever its type: a shared or inline string as its text (without the phonetic guide Japanese Excel
    /// may add), a number without exponent or trailing decimals (a 宛名番号 typed as 1000000123 stays that), anything else
    /// as stored.
    /// </summary>
    private static string TextOf(Cell cell, IReadOnlyList<string> shared)
    {
        var value = cell.CellValue?.Text;
        var type = cell.DataType?.Value;
        if (type == CellValues.InlineString) return cell.InlineString is { } inline ? StringOf(inline) : value ?? "";
        if (type == CellValues.SharedString)
            return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < shared.Count ? shared[index] : "";
        if (value is null) return "";
        if (type is null || type == CellValues.Number) return NumberText(value);
        return value;
    }

    private static string NumberText(string value)
    {
        if (!decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return value;
        return decimal.Truncate(number) == number
            ? number.ToString("0", CultureInfo.InvariantCulture)
            : number.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The text of a string item (shared or inline): its plain text, or its runs joined; phonetic runs are not its text.</summary>
    private static string StringOf(OpenXmlCompositeElement item)
    {
        var text = new StringBuilder();
        foreach (var child in item.ChildElements)
        {
            if (child is Text t) text.Append(t.Text);
            else if (child is Run run) text.Append(run.Text?.Text);
        }
        return text.ToString();
    }

    private static List<string> SharedStrings(SharedStringTablePart? part)
    {
        List<string> strings = [];
        if (part is null) return strings;
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (reader.ElementType == typeof(SharedStringItem) && reader.IsStartElement) strings.Add(StringOf((SharedStringItem)reader.LoadCurrentElement()!));
        }
        return strings;
    }
}
