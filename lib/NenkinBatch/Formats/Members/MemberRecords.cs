using NenkinBatch.Domain;

namespace NenkinBatch.Formats.Members;

/// <summary>One valid row of a members-csv file.</summary>
public sealed record MemberRow(long Line, PersonRecord Person, QualificationRecord? Qualification, IndividualNumber? IndividualNumber);

/// <summary>What the reader made of one physical record: a row to keep (maybe with warnings), or only problems.</summary>
public sealed record MemberReadResult(long Line, MemberRow? Row, IReadOnlyList<RowProblem> Problems);
