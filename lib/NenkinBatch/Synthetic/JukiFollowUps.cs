using NenkinBatch.Formats.Juki;

namespace NenkinBatch.Synthetic;

/// <summary>One follow-up the 住基 sync must have raised, with the status it must end in (juki-followups-truth.csv).</summary>
public sealed class FollowUp(string kind, string? atenaNumber, int? historyNumber, string? file = null, long? line = null)
{
    public const string LossCandidate = "loss-candidate";
    public const string Death = "death";
    public const string AcquisitionCandidate = "acquisition-candidate";
    public const string Move = "move";
    public const string NameChange = "name-change";
    public const string Gap = "gap";
    public const string RejectedRow = "rejected-row";

    public const string Open = "OPEN";
    public const string Withdrawn = "WITHDRAWN";
    public const string Resolved = "RESOLVED";

    public string Kind { get; } = kind;
    public string? AtenaNumber { get; } = atenaNumber;
    /// <summary>The change's 履歴番号; for a gap the missing number; none for a rejected row.</summary>
    public int? HistoryNumber { get; } = historyNumber;
    /// <summary>A rejected row's file name and the file's own line number (header = line 1).</summary>
    public string? File { get; } = file;
    public long? Line { get; } = line;
    public string Status { get; set; } = Open;
}

/// <summary>
/// The follow-up rules of the 住基 sync (nenkin-juki-sync), applied to one person's rows the way the job applies them, so
/// that the truth is what the rules say and not what a case meant to show. Rows apply per person strictly in 履歴番号
/// order, whatever the order of the files; everything here is per person, which is what lets the generator stream.
/// </summary>
public static class JukiFollowUpRules
{
    /// <summary>A change raises a follow-up only if its 処理日 is at most this many days before the newest 処理日 of its file.</summary>
    public const int WindowDays = 90;

    /// <param name="hasOpenQualification">On members.csv with a 資格 period whose 喪失日 is empty (the sync never changes 資格).</param>
    /// <param name="birthDate">生年月日 as the register writes it: YYYYMMDD, 00 for an unknown month or day.</param>
    /// <param name="rows">The person's rows of every run; refused rows apply nothing and leave their number missing.</param>
    /// <param name="newestProcessed">Per run (1 = the history, 2, 3 = the deltas): the newest 処理日 of that run's file.</param>
    public static List<FollowUp> For(string atenaNumber, bool hasOpenQualification, string birthDate, IReadOnlyList<JukiRow> rows,
        IReadOnlyList<DateOnly> newestProcessed)
    {
        var followUps = new List<FollowUp>();
        var applied = new List<(JukiRow Row, bool Cancelled)>();
        var pending = new List<JukiRow>();
        var last = 0;
        for (var run = 1; run <= newestProcessed.Count; run++)
        {
            pending.AddRange(rows.Where(r => r.Run == run && !r.Refused));
            while (true)
            {
                pending.RemoveAll(r => r.HistoryNumber <= last); // duplicates: nothing
                var next = pending.Find(r => r.HistoryNumber == last + 1);
                if (next is null) break;
                pending.Remove(next);
                last = next.HistoryNumber;
                foreach (var gap in followUps.Where(f => f.Kind == FollowUp.Gap && f.HistoryNumber == last && f.Status == FollowUp.Open))
                    gap.Status = FollowUp.Resolved;
                Apply(next);
            }
            // What still waits at the end of a run is a gap at once (gap-follow-up-days = 0), one per missing number.
            if (pending.Count > 0 && !followUps.Exists(f => f.Kind == FollowUp.Gap && f.HistoryNumber == last + 1))
                followUps.Add(new FollowUp(FollowUp.Gap, atenaNumber, last + 1));
        }
        return followUps;

        void Apply(JukiRow row)
        {
            if (JukiChangeReasons.IsCancellation(row.ChangeReason))
            {
                var category = JukiChangeReasons.Category(row.ChangeReason);
                var target = applied.FindLastIndex(a => !a.Cancelled && a.Row.HistoryNumber < row.HistoryNumber && JukiChangeReasons.Category(a.Row.ChangeReason) == category);
                if (target < 0) return;
                applied[target] = (applied[target].Row, true);
                foreach (var f in followUps.Where(f => f.HistoryNumber == applied[target].Row.HistoryNumber && f.Kind != FollowUp.Gap))
                    f.Status = FollowUp.Withdrawn;
                return;
            }
            applied.Add((row, false));
            if (newestProcessed[row.Run - 1].DayNumber - row.ProcessedOn.DayNumber > WindowDays) return;
            var kind = row.ChangeReason switch
            {
                "20" or "21" when hasOpenQualification => FollowUp.LossCandidate,
                "22" when hasOpenQualification => FollowUp.Death,
                "10" or "11" when !hasOpenQualification && MayBeOfInsurableAge(birthDate, row.ChangedOn) => FollowUp.AcquisitionCandidate,
                "30" when hasOpenQualification => FollowUp.Move,
                "31" when hasOpenQualification => FollowUp.NameChange,
                _ => null,
            };
            if (kind is not null && !followUps.Exists(f => f.Kind == kind && f.HistoryNumber == row.HistoryNumber))
                followUps.Add(new FollowUp(kind, atenaNumber, row.HistoryNumber));
        }
    }

    /// <summary>
    /// Aged 20 to 59 (full years) on the day; for a 不詳 birth date, when some date consistent with its known parts gives
    /// such an age. Full years turn on the birthday (a 29 February birthday on 1 March of other years).
    /// </summary>
    public static bool MayBeOfInsurableAge(string birthDate, DateOnly day)
    {
        var (earliest, latest) = BirthRange(birthDate);
        return Age(earliest, day) >= 20 && Age(latest, day) <= 59;
    }

    /// <summary>
    /// The day is within a day of a change of <see cref="MayBeOfInsurableAge"/>: where the law's own way of counting age
    /// (an age is reached the day before the birthday) would answer otherwise. The generator keeps 転入 dates off these days.
    /// </summary>
    public static bool IsNearAgeBoundary(string birthDate, DateOnly day)
    {
        var on = MayBeOfInsurableAge(birthDate, day);
        return MayBeOfInsurableAge(birthDate, day.AddDays(-1)) != on || MayBeOfInsurableAge(birthDate, day.AddDays(1)) != on;
    }

    private static (DateOnly Earliest, DateOnly Latest) BirthRange(string birthDate)
    {
        var year = int.Parse(birthDate.AsSpan(0, 4), provider: null);
        var month = int.Parse(birthDate.AsSpan(4, 2), provider: null);
        var day = int.Parse(birthDate.AsSpan(6, 2), provider: null);
        if (month == 0) return (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        if (day == 0) return (new DateOnly(year, month, 1), new DateOnly(year, month, DateTime.DaysInMonth(year, month)));
        var exact = new DateOnly(year, month, day);
        return (exact, exact);
    }

    private static int Age(DateOnly birth, DateOnly day) =>
        day.Year - birth.Year - (day.Month < birth.Month || (day.Month == birth.Month && day.Day < birth.Day) ? 1 : 0);
}
