using System.Text;
using NenkinBatch.Foundation;
using NenkinBatch.Formats.Layouts;

namespace NenkinBatch.Tests.Formats;

public class LayoutTests
{
    [Fact]
    public void BuiltInLayouts_EveryFieldHasAMaximumLength()
    {
        Layout.BuiltInNames.ShouldBe(["jps-result-csv", "jps-result-fixed", "juki-change-csv", "members-csv"]);
        foreach (var layout in Layout.BuiltInNames.Select(Layout.Resolve))
        {
            foreach (var field in layout.Fields.Concat(layout.Header?.Fields ?? []).Concat(layout.Trailer?.Fields ?? []))
            {
                field.MaxLength.ShouldBeGreaterThan(0, $"{layout.Name}/{field.Name}");
                // A fixed-length field holds no more characters than it has bytes (half-width) or half of them (full-width).
                if (layout.IsFixed) field.MaxLength.ShouldBe(field.Width == "full" ? field.Length / 2 : field.Length, $"{layout.Name}/{field.Name}");
            }
        }
    }

    [Fact]
    public void Load_FieldWithoutMaximumLength_LayoutRefusedAsUsageError()
    {
        var json = """{ "name": "x", "kind": "csv", "fields": [ { "name": "address", "label": "住所", "maxLength": 60 }, { "name": "name", "label": "氏名" } ] }""";
        var error = Should.Throw<OperatorException>(() => Layout.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "city.json"));
        error.ExitCode.ShouldBe(ExitCode.UsageError);
        error.Message.ShouldContain("項目 氏名 に maxLength（最大文字数）がありません");
    }
}
