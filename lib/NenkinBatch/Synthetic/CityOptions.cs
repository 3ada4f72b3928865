namespace NenkinBatch.Synthetic;

/// <summary>
/// What the synthetic city looks like. Every rate is settable; the defaults are set by reasoning
/// about a city office's files (docs/domain.md, docs/formats.md), not measured from real data (there is none here).
/// The rates from <see cref="BanchiTownRate"/> on are drawn from generators of their own (<see cref="SplitMix.For"/>):
/// setting one changes the rows and people it perturbs and nothing else.
/// </summary>
public sealed record CityOptions
{
    public int People { get; init; } = 1000;
    public ulong Seed { get; init; } = 1;
    public int JpsRows { get; init; } = -1;
    /// <summary>Rows per daily 住基 delta (juki-delta-1.csv, juki-delta-2.csv); -1: a fiftieth of the people.</summary>
    public int JukiChanges { get; init; } = -1;
    public string MunicipalityCode { get; init; } = "121002";
    /// <summary>The day the files are made; ages, periods and dates count from it.</summary>
    public DateOnly AsOf { get; init; } = new(2026, 10, 1);

    // Households and people
    public double TwinRate { get; init; } = 0.03;
    public double ForeignRate { get; init; } = 0.03;
    public double UnknownBirthRate { get; init; } = 0.15;      // among foreign residents
    public double EmployeeRate { get; init; } = 0.30;          // adults 20–59 insured elsewhere (not on the city's file)
    public double AddressSuffixRate { get; init; } = 0.35;
    public double MovedRate { get; init; } = 0.05;             // moved earlier: city knows, JPS keeps the old address
    public double BanchiTownRate { get; init; } = 0.15;        // addresses in a town written 町名＋番地 (土気町３７番地２９), no 丁目
    public double BranchNumberRate { get; init; } = 0.6;       // 番地 with a 枝番 (３７番地２９, not ３７番地)
    public double OldAddressInHistoryRate { get; init; } = 0.8; // movers whose 転居 from the old address is in the 住基 history (else it starts at the new one)
    public double MovedOutRate { get; init; } = 0.01;          // people on file who left the city months ago: a 20 転出 ends their history
    public double CityMissingPensionNumberRate { get; init; } = 0.05;
    public double IndividualNumberRate { get; init; } = 0.92;

    // JPS rows
    public double JpsMissingPensionNumberRate { get; init; } = 0.04;
    public double WrongPensionNumberRate { get; init; } = 0.002;   // a 基礎年金番号 that belongs to someone else
    public double GetaRate { get; init; } = 0.3;                   // of characters JPS cannot write: 〓 instead of the folded form
    public double HomophoneRate { get; init; } = 0.02;
    public double SmallKanaRate { get; init; } = 0.04;
    public double LongVowelRate { get; init; } = 0.04;
    public double KanaVariantRate { get; init; } = 0.5;            // foreign names: ヴァ written バ …
    public double BirthTypoRate { get; init; } = 0.004;
    public double JpsIndividualNumberRate { get; init; } = 0.5;
    public double ReturnedRate { get; init; } = 0.06;
    public double PendingRate { get; init; } = 0.02;
    public double DoubleFilingRate { get; init; } = 0.03;
    public double RelativeRowRate { get; init; } = 0.02;           // rows about a relative of someone on file, not on file
    public double NobodyRowRate { get; init; } = 0.01;             // rows about someone the city does not know at all
    public double NamesakeRowRate { get; init; } = 0.01;           // rows drawn for someone on file about a namesake instead: same name, kana, birth date and sex, another address, never in the city
    public double NamesakeNumberRate { get; init; } = 0.5;         // of those, with a 基礎年金番号 (the namesake's, not the person's)
    public double MaidenNameRowRate { get; init; } = 0.15;         // rows about someone with a 31 氏名変更 in the history, written with the name before it
    public double MovedOutNewAddressRate { get; init; } = 0.5;     // rows about someone who left the city, written with the 転出先 (else the city's address)
    public double AlphabetSwappedRate { get; init; } = 0.3;        // foreign names: given name first
    public double AlphabetTypoRate { get; init; } = 0.12;          // foreign names: a letter transposed, dropped or doubled (NGUEYN, NGUYN, NGUYENN)
    public double AlphabetDroppedNameRate { get; init; } = 0.2;    // foreign names of two given names: one left out
    public double KanaTypoRate { get; init; } = 0.12;              // foreign readings spelt beyond the known variants (グエン/グェン, ヴィ/ビ, ジョン/ジョーン)

    // JPS addresses
    public double JpsSuffixRate { get; init; } = 0.5;              // rows with the register's 方書 written after the address (else it is on one side only)
    public double JpsOnlySuffixRate { get; init; } = 0.03;         // rows with a 方書 the register does not have
    public double RoomNumberRate { get; init; } = 0.2;             // hyphen rows of someone with a room in the 方書: the room as one more number (１－２－３－３０４)
    public double DashVariantRate { get; init; } = 0.4;            // hyphen rows with another dash than － (‐ ― ー ｰ, or - with ASCII digits)
    public double HalfWidthDigitsRate { get; init; } = 0.1;        // rows with ASCII digits (37-29)
    public double KanjiNumeralRate { get; init; } = 0.08;          // rows with every number in kanji (一丁目二番地三, 三十七番地二十九)
    public double NoNotationRate { get; init; } = 0.05;            // rows with の (２の３, ３７の２９)
    public double WardOmittedRate { get; init; } = 0.15;           // rows of a 番地 town without the 区
    public double OazaRate { get; init; } = 0.2;                   // rows of a 番地 town with 大字 before its name

    // 住基 history (juki-history.csv)
    public int MinHistoryLength { get; init; } = 1;                // 履歴番号 per person, drawn evenly: about 3 on average
    public int MaxHistoryLength { get; init; } = 5;
    public double BornHereRate { get; init; } = 0.35;              // Japanese residents whose first row is 12 出生
    public double ForeignFromAbroadRate { get; init; } = 0.5;      // foreign residents whose first row is 11 国外転入
    public double MaidenNameRate { get; init; } = 0.6;             // Japanese wives with a 31 氏名変更 from a maiden surname
    public double HistorySupportRate { get; init; } = 0.004;       // a 35 支援措置 set
    public double NumberChangeRate { get; init; } = 0.01;          // a 34 個人番号変更
    public double RecentEntryRate { get; init; } = 0.01;           // first row within the last three months
    public double RecentChangeRate { get; init; } = 0.03;          // last change within the last four months
    public double BackDatedRate { get; init; } = 0.08;             // 異動日 months (history) or weeks (deltas) before 処理日
    public double DescendingRowsRate { get; init; } = 0.05;        // a person's rows written last-first
    public double DuplicateLineRate { get; init; } = 0.002;        // a history line written twice
    public int ShuffleWindow { get; init; } = 256;                 // rows; a row moves at most this far from its place

    // 住基 daily deltas (juki-delta-1.csv, juki-delta-2.csv)
    public double TransferInRate { get; init; } = 0.08;            // newcomers among the rows of a delta
    public double SecondChangeRate { get; init; } = 0.05;          // a person with two rows in one delta
    public double ReversedDeltaRate { get; init; } = 0.2;          // a person's rows of a delta written last-first

    // Old data for the purge (RetentionCity): 0 writes none, so the city's files are what they always were.
    /// <summary>People who left long ago, written to members-retention.csv with what a purge as of <see cref="AsOf"/> must do (retention-truth.csv).</summary>
    public int RetentionPeople { get; init; }

    public int EffectiveJpsRows => JpsRows >= 0 ? JpsRows : Math.Max(1, People / 10);
    public int EffectiveJukiChanges => JukiChanges >= 0 ? JukiChanges : Math.Max(1, People / 50);

    /// <summary>The rows of each delta: as asked, but never fewer than the fixed cases need (<see cref="JukiScenario.MinimumRowsPerDelta"/>).</summary>
    public int JukiRowsPerDelta => Math.Max(EffectiveJukiChanges, JukiScenario.MinimumRowsPerDelta);
}
