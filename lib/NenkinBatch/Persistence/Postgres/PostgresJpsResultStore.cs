using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using NenkinBatch.Formats.Jps;
using NenkinBatch.Persistence.Jps;

namespace NenkinBatch.Persistence.Postgres;

/// <summary>PostgreSQL: the rows of a file stream into jps_result by one binary COPY inside the file's transaction.</summary>
public sealed class PostgresJpsResultStore : JpsResultStore
{
    public override async Task<IJpsRowSink> OpenRowSinkAsync(DbConnection connection, DbTransaction transaction, long fileId, CancellationToken cancellationToken) =>
        new Sink(await ((NpgsqlConnection)connection).BeginBinaryImportAsync($"COPY jps_result ({RowColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken), fileId);

    private sealed class Sink(NpgsqlBinaryImporter copy, long fileId) : IJpsRowSink
    {
        // The importer buffers; its synchronous writes only copy into that buffer, and save an await per field on a million-row file.
        public async ValueTask AddAsync(JpsResultRow row, string? warnings, NumberSeal? number, CancellationToken cancellationToken)
        {
            await copy.StartRowAsync(cancellationToken);
            copy.Write(row.MunicipalityCode, NpgsqlDbType.Char);
            copy.Write(fileId, NpgsqlDbType.Bigint);
            copy.Write(row.Line, NpgsqlDbType.Bigint);
            copy.Write(row.FilingCode, NpgsqlDbType.Char);
            copy.Write(row.ReceivedOn, NpgsqlDbType.Date);
            copy.Write(row.ProcessedOn, NpgsqlDbType.Date);
            Text(row.BasicPensionNumber, NpgsqlDbType.Char);
            copy.Write(row.KanaName, NpgsqlDbType.Text);
            Text(row.KanjiName, NpgsqlDbType.Text);
            copy.Write(row.BirthDate, NpgsqlDbType.Date);
            copy.Write((short)row.Sex, NpgsqlDbType.Smallint);
            Text(row.PostalCode, NpgsqlDbType.Text);
            Text(row.Address, NpgsqlDbType.Text);
            if (row.InsuredCategory is { } category) copy.Write((short)category, NpgsqlDbType.Smallint); else copy.WriteNull();
            Date(row.AcquiredOn);
            Text(row.AcquisitionReason, NpgsqlDbType.Char);
            Date(row.LostOn);
            Text(row.LossReason, NpgsqlDbType.Char);
            copy.Write((short)row.Result, NpgsqlDbType.Smallint);
            Text(row.ErrorCode, NpgsqlDbType.Text);
            Text(row.ErrorText, NpgsqlDbType.Text);
            if (number is not null) { copy.Write(number.Digest, NpgsqlDbType.Bytea); copy.Write(number.Sealed, NpgsqlDbType.Bytea); }
            else { copy.WriteNull(); copy.WriteNull(); }
            Text(warnings, NpgsqlDbType.Text);
        }

        private void Text(string? value, NpgsqlDbType type)
        {
            if (value is null) copy.WriteNull(); else copy.Write(value, type);
        }

        private void Date(DateOnly? value)
        {
            if (value is { } d) copy.Write(d, NpgsqlDbType.Date); else copy.WriteNull();
        }

        public async ValueTask CompleteAsync(CancellationToken cancellationToken) => await copy.CompleteAsync(cancellationToken);

        public ValueTask DisposeAsync() => copy.DisposeAsync();
    }
}
