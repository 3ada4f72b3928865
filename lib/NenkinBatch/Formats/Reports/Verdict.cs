namespace NenkinBatch.Formats.Reports;

/// <summary>判定: what the reconciliation found for one report row (docs/formats.md, "Reconciliation report").</summary>
public enum Verdict
{
    /// <summary>一致: matched, nothing differs.</summary>
    Match,
    /// <summary>差異あり: matched, fields differ.</summary>
    Differs,
    /// <summary>市未登録: nobody on the city's file.</summary>
    NotOnFile,
    /// <summary>要確認: candidates, but no safe decision.</summary>
    Review,
    /// <summary>返戻: JPS returned the filing.</summary>
    Returned,
    /// <summary>機構未反映: a local 資格 change JPS has no row about.</summary>
    Unreflected,
}

/// <summary>The 判定 as the report and the workbook write them, in the order the workbook shows them.</summary>
public static class Verdicts
{
    public static IReadOnlyList<Verdict> All { get; } = Enum.GetValues<Verdict>();

    public static string Label(this Verdict verdict) => verdict switch
    {
        Verdict.Match => "一致",
        Verdict.Differs => "差異あり",
        Verdict.NotOnFile => "市未登録",
        Verdict.Review => "要確認",
        Verdict.Returned => "返戻",
        Verdict.Unreflected => "機構未反映",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    public static string Meaning(this Verdict verdict) => verdict switch
    {
        Verdict.Match => "照合でき、相違なし",
        Verdict.Differs => "照合でき、項目に相違あり（どちらを直すかは対応欄）",
        Verdict.NotOnFile => "市の記録に該当者なし",
        Verdict.Review => "候補はあるが自動では決められない（職員が確認）",
        Verdict.Returned => "機構が返戻した届書（職員が対応）",
        Verdict.Unreflected => "市の資格異動に対応する機構の行がない",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };
}
