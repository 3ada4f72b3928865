using System.Data.Common;
using NenkinBatch.Domain;
using NenkinBatch.Formats.Members;
using NenkinBatch.Persistence.Audit;

namespace NenkinBatch.Persistence.Members;

/// <summary>A person as stored: 宛名, the digest of the 個人番号 on file (never the number), and the 資格 periods by 取得日.</summary>
public sealed class StoredMember(PersonRecord person)
{
    public PersonRecord Person { get; set; } = person;
    public byte[]? NumberDigest { get; set; }
    public Dictionary<DateOnly, QualificationRecord> Periods { get; } = [];
}

public sealed record SealedNumber(string AtenaNumber, byte[] Digest, byte[] Sealed);

/// <summary>Everything one chunk changes, written in the chunk's transaction.</summary>
public sealed class MemberChanges
{
    public List<PersonRecord> People { get; } = [];
    public List<(string AtenaNumber, QualificationRecord Period)> Periods { get; } = [];
    public List<SealedNumber> Numbers { get; } = [];
    public List<AuditEntry> Audit { get; } = [];
    public bool IsEmpty => People.Count == 0 && Periods.Count == 0 && Numbers.Count == 0;
}

/// <summary>Reads and writes the city's members in bulk, the fast way for each store.</summary>
public interface IMemberWriter
{
    Task<Dictionary<string, StoredMember>> ReadStoredAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality,
        IReadOnlyCollection<string> atenaNumbers, CancellationToken cancellationToken);

    Task WriteAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long runId, string job,
        DateTimeOffset now, MemberChanges changes, CancellationToken cancellationToken);
}
