using System.Data.Common;
using Microsoft.Data.Sqlite;
using NenkinBatch.Formats.Jps;
using NenkinBatch.Persistence.Jps;

namespace NenkinBatch.Persistence.Sqlite;

/// <summary>SQLite: one prepared statement, re-bound per row, inside the file's transaction.</summary>
public sealed class SqliteJpsResultStore : JpsResultStore
{
    public override async Task<IJpsRowSink> OpenRowSinkAsync(DbConnection connection, DbTransaction transaction, long fileId, CancellationToken cancellationToken)
    {
        var command = ((SqliteConnection)connection).CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        var names = RowColumns.Split(", ");
        command.CommandText = $"INSERT INTO jps_result ({RowColumns}) VALUES ({string.Join(", ", names.Select(n => "$" + n))})";
        foreach (var name in names) command.Parameters.Add(new SqliteParameter("$" + name, null));
        await command.PrepareAsync(cancellationToken);
        return new Sink(command, fileId);
    }

    private sealed class Sink(SqliteCommand command, long fileId) : IJpsRowSink
    {
        public async ValueTask AddAsync(JpsResultRow row, string? warnings, byte[]? numberDigest, CancellationToken cancellationToken)
        {
            var p = command.Parameters;
            p[0].Value = row.MunicipalityCode; p[1].Value = fileId; p[2].Value = row.Line; p[3].Value = row.FilingCode;
            p[4].Value = row.ReceivedOn; p[5].Value = row.ProcessedOn; p[6].Value = DbValues.Param(row.BasicPensionNumber); p[7].Value = row.KanaName;
            p[8].Value = DbValues.Param(row.KanjiName); p[9].Value = row.BirthDate; p[10].Value = row.Sex; p[11].Value = DbValues.Param(row.PostalCode);
            p[12].Value = DbValues.Param(row.Address); p[13].Value = (object?)row.InsuredCategory ?? DBNull.Value; p[14].Value = DbValues.Param(row.AcquiredOn);
            p[15].Value = DbValues.Param(row.AcquisitionReason); p[16].Value = DbValues.Param(row.LostOn); p[17].Value = DbValues.Param(row.LossReason);
            p[18].Value = row.Result; p[19].Value = DbValues.Param(row.ErrorCode); p[20].Value = DbValues.Param(row.ErrorText);
            p[21].Value = (object?)numberDigest ?? DBNull.Value; p[22].Value = DbValues.Param(warnings);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => command.DisposeAsync();
    }
}
