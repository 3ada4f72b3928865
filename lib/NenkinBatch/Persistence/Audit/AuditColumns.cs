namespace NenkinBatch.Persistence.Audit;

/// <summary>The columns an audit row is written with, the same on both stores.</summary>
public static class AuditColumns
{
    public const string Names =
        "municipality_code, run_id, job, table_name, record_key, action, before_data, after_data, individual_number_accessed, recorded_at";
}
