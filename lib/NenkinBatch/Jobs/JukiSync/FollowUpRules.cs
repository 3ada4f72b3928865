using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Codes;
using NenkinBatch.Formats.Juki;
using NenkinBatch.Persistence.Juki;

namespace NenkinBatch.Jobs.JukiSync;

/// <summary>
/// What a 住基 change asks of the 健康保険課 (docs/domain.md, "Follow-ups"). The sync decides no 資格 by itself: it names the
/// candidate and the date the law gives, and a clerk decides. No text here holds an address: a follow-up list is an output,
/// and a person under 支援措置 may be on it.
/// </summary>
public sealed class FollowUpRules(CodeTables codes)
{
    public const string LossCandidate = "loss-candidate", Death = "death", AcquisitionCandidate = "acquisition-candidate",
        Move = "move", NameChange = "name-change", Gap = "gap", RejectedRow = "rejected-row";

    /// <summary>Days a clerk has for a 資格 follow-up: the 14 days 国民年金法施行規則 gives for a 資格取得・喪失届.</summary>
    public const int FilingDays = 14;

    /// <summary>Days a clerk has to ask the 住基 side for a missing or refused row.</summary>
    public const int ResendDays = 7;

    public static string KindLabel(string kind) => kind switch
    {
        LossCandidate => "資格喪失候補",
        Death => "死亡",
        AcquisitionCandidate => "資格取得候補",
        Move => "転居（確認のみ）",
        NameChange => "氏名変更（確認のみ）",
        Gap => "履歴番号の欠番",
        RejectedRow => "受け付けなかった行",
        _ => kind,
    };

    /// <param name="hasOpenQualification">Whether the person has a 資格 without 喪失日 on file (the sync never changes 資格).</param>
    public IEnumerable<FollowUp> For(string atena, JukiChangeRow row, bool hasOpenQualification)
    {
        var reason = row.ChangeReason;
        var what = $"{codes["jukiChangeReason"].Describe(reason)}（異動日 {Day(row.ChangedOn)}、届出 {(row.NotifiedOn is { } n ? Day(n) : "なし")}、履歴番号 {row.HistoryNumber}）";
        var due = row.ProcessedOn.AddDays(FilingDays);
        FollowUp Make(string kind, string todo, DateOnly? dueOn) =>
            new(kind, FollowUp.ChangeKey(atena, row.HistoryNumber), atena, row.HistoryNumber, reason, row.ChangedOn, null, null, what, todo, dueOn);

        switch (reason)
        {
            case "20" or "21" when hasOpenQualification:
                yield return Make(LossCandidate, reason == "21"
                    ? $"国外転出です。第1号被保険者なら喪失日 {Day(row.ChangedOn.AddDays(1))}（転出日の翌日）で資格喪失を処理し、任意加入の希望を確認してください。"
                    : $"国内転出です。喪失日 {Day(row.ChangedOn.AddDays(1))}（転出日の翌日）で当市の資格記録を終え、転出先市区町村への引継ぎを確認してください。", due);
                break;
            case "22" when hasOpenQualification:
                yield return Make(Death, $"資格喪失（喪失日 {Day(row.ChangedOn.AddDays(1))}、死亡日の翌日）を処理し、処理中・提出予定の届書を止めてください。", due);
                break;
            case "10" or "11" when !hasOpenQualification && MayBeAged20To59(row.BirthDate, row.ChangedOn):
                yield return Make(AcquisitionCandidate,
                    $"20歳以上60歳未満の転入者で、国民年金の資格がありません。厚生年金・共済の加入を確認し、該当しなければ取得日 {Day(row.ChangedOn)} で資格取得届を勧奨してください。", due);
                break;
            case "30" when hasOpenQualification:
                yield return Make(Move, "住所変更は J-LIS 経由で日本年金機構に届きます。確認のみで、届出は不要です。", null);
                break;
            case "31" when hasOpenQualification:
                yield return Make(NameChange, "氏名変更は J-LIS 経由で日本年金機構に届きます。確認のみで、届出は不要です。", null);
                break;
        }
    }

    public static FollowUp ForGap(string atena, int missing, DateOnly waitingSince, DateOnly today) =>
        new(Gap, FollowUp.ChangeKey(atena, missing), atena, missing, null, null, null, null,
            $"履歴番号 {missing} が届いていません（{Day(waitingSince)} から後の履歴番号が待機中）",
            $"住基担当に履歴番号 {missing} の異動データの再送を依頼してください。届くまでこの人の後の異動は反映されません。", today.AddDays(ResendDays));

    public static FollowUp ForRejectedRow(string fileDigest, string fileName, long line, string? atena, string reasons, DateOnly today) =>
        new(RejectedRow, $"{fileDigest[..16]}:{line.ToString(CultureInfo.InvariantCulture)}", atena, null, null, null, fileName, line,
            $"{fileName} {line}行目を受け付けませんでした: {reasons}",
            "住基担当に行の修正と再送を依頼してください。この行が届くまで、この人の後の異動は反映されません。", today.AddDays(ResendDays));

    /// <summary>
    /// Whether the person may be 20 to 59 on the day: for a 不詳 birth date, when some date consistent with its known parts gives
    /// such an age (a candidate is for a clerk to check, so a doubt raises it); a date not known at all raises nothing.
    /// </summary>
    public static bool MayBeAged20To59(BirthDate birth, DateOnly on)
    {
        if (birth.Year == 0) return false;
        var earliest = new DateOnly(birth.Year, birth.Month ?? 1, birth.Day ?? 1);
        var latestMonth = birth.Month ?? 12;
        var latest = new DateOnly(birth.Year, latestMonth, birth.Day ?? DateTime.DaysInMonth(birth.Year, latestMonth));
        return Age(earliest, on) >= 20 && Age(latest, on) <= 59;
    }

    public static int Age(DateOnly birth, DateOnly on) => on.Year - birth.Year - (on.Month < birth.Month || (on.Month == birth.Month && on.Day < birth.Day) ? 1 : 0);

    private static string Day(DateOnly date) => CalendarDate.ToIso(date);
}
