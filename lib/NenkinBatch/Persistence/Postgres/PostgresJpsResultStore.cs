using System.Data.Common;
using Npgsql;
using NenkinBatch.Formats.Jps;
using NenkinBatch.Persistence.Jps;

namespace NenkinBatch.Persistence.Postgres;

/// <summary>PostgreSQL: the rows of a file stream into jps_result by one raw binary COPY inside the file's transaction.</summary>
public sealed class PostgresJpsResultStore : JpsResultStore
{
    private const short ColumnCount = 23;

    public override async Task<IJpsRowSink> OpenRowSinkAsync(DbConnection connection, DbTransaction transaction, long fileId, CancellationToken cancellationToken)
    {
        var stream = await ((NpgsqlConnection)connection).BeginRawBinaryCopyAsync($"COPY jps_result ({RowColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        var rows = new PgBinaryRows();
        rows.Header();
        return new Sink(stream, rows, fileId);
    }

    private sealed class Sink(NpgsqlRawCopyStream stream, PgBinaryRows rows, long fileId) : IJpsRowSink
    {
        private bool _completed;

        public async ValueTask AddAsync(JpsResultRow row, string? warnings, byte[]? numberDigest, CancellationToken cancellationToken)
        {
            rows.StartRow(ColumnCount);
            rows.Text(row.MunicipalityCode);
            rows.Int64(fileId);
            rows.Int64(row.Line);
            rows.Text(row.FilingCode);
            rows.Date(row.ReceivedOn);
            rows.Date(row.ProcessedOn);
            rows.Text(row.BasicPensionNumber);
            rows.Text(row.KanaName);
            rows.Text(row.KanjiName);
            rows.Date(row.BirthDate);
            rows.Int16(row.Sex);
            rows.Text(row.PostalCode);
            rows.Text(row.Address);
            rows.Int16(row.InsuredCategory);
            rows.Date(row.AcquiredOn);
            rows.Text(row.AcquisitionReason);
            rows.Date(row.LostOn);
            rows.Text(row.LossReason);
            rows.Int16(row.Result);
            rows.Text(row.ErrorCode);
            rows.Text(row.ErrorText);
            rows.Bytes(numberDigest);
            rows.Text(warnings);
            await rows.FlushIfFullAsync(stream, cancellationToken);
        }

        private async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            await stream.WriteAsync(rows.Written, cancellationToken);
            rows.Clear();
        }

        public async ValueTask CompleteAsync(CancellationToken cancellationToken)
        {
            rows.Trailer();
            await FlushAsync(cancellationToken);
            _completed = true;
            await stream.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            // Left without completing (a failure while reading): cancel, so nothing half-written is ever committed.
            try
            {
                if (!_completed) await stream.CancelAsync();
                await stream.DisposeAsync();
            }
            finally
            {
                rows.Dispose();
            }
        }
    }
}
