using NenkinBatch.Jobs.Reconcile;

namespace NenkinBatch.Tests.Jobs.Reconcile;

/// <summary>Which 処理済 rows are one event, and which of them is JPS's latest word (docs/domain.md, "One event, one change").</summary>
public class EventFoldTests
{
    private static Decided.EventRow Row(int row, string date, string processed, int category = 1) =>
        new(Person: 7, FilingCode: "01", Loss: false, DateOnly.Parse(date), DateOnly.Parse(processed), row, FileId: 1, Line: row + 2,
            (DateOnly.Parse(date), category, null, null, null));

    [Fact]
    public void RowsAMonthApartEach_AreNotChainedIntoOneLongEvent()
    {
        var decided = new Decided();

        decided.FoldEvents([Row(0, "2024-04-01", "2024-06-01"), Row(1, "2024-04-30", "2024-06-02"), Row(2, "2024-05-29", "2024-06-03")], 31);

        // 04-01 and 04-30 are one event (29 days): the later result wins. 05-29 is 58 days from its start: an event of its own.
        decided.Superseded.Keys.ShouldBe([0]);
        decided.Superseded[0].ShouldBe((1L, 3L));
    }

    [Fact]
    public void RowsThatSayTheSame_AreNotSuperseded_RowsOfAnotherPersonOrFilingAreNotFolded()
    {
        var decided = new Decided();
        var other = Row(3, "2024-04-02", "2024-06-09") with { Person = 8 };
        var loss = Row(4, "2024-04-03", "2024-06-09") with { FilingCode = "02", Loss = true };

        decided.FoldEvents([Row(0, "2024-04-01", "2024-06-01"), Row(1, "2024-04-01", "2024-06-05"), other, loss], 31);

        decided.Superseded.ShouldBeEmpty();
    }

    [Fact]
    public void DisagreeingRowsOfOneEvent_TheLatestProcessedWins_WhateverTheListOrder()
    {
        var decided = new Decided();

        decided.FoldEvents([Row(0, "2024-04-10", "2024-06-20"), Row(1, "2024-04-01", "2024-06-01", category: 2)], 31);

        decided.Superseded.Keys.ShouldBe([1]);
        decided.Superseded[1].ShouldBe((1L, 2L));
    }
}
