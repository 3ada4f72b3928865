namespace NenkinBatch.Domain;

/// <summary>A former address as 住所履歴 keeps it, and the day after which it was no longer the person's (their next address's 異動日).</summary>
public sealed record FormerValue(string Address, DateOnly? Until);

/// <summary>A former 氏名 and its カナ, and the day after which it was no longer the person's.</summary>
public sealed record FormerName(string Name, string NameKana, DateOnly? Until);
