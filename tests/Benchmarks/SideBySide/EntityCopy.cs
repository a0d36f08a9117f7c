using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace PracticeMesh.Benchmarks.SideBySide;

/// <summary>Seeds a service's PostgreSQL tables at COPY speed with rows made by its own domain code.</summary>
public static class EntityCopy
{
    /// <summary>Binary COPY of entities into their table, each column written as the EF model maps it (value converters included).</summary>
    public static async Task CopyAsync<T>(DbContext db, NpgsqlConnection connection, IEnumerable<T> rows) where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Select(p => (Property: p, Column: p.GetColumnName(table)!, Mapping: p.GetRelationalTypeMapping(), Getter: p.GetGetter()))
            .Where(c => c.Column is not null).ToList();
        var copy = $"COPY \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.Column}\""))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(copy);
        foreach (var row in rows)
        {
            await importer.StartRowAsync();
            foreach (var (_, _, mapping, getter) in columns)
            {
                var value = getter.GetClrValueUsingContainingEntity(row);
                if (value is not null && mapping.Converter is { } converter)
                {
                    value = converter.ConvertToProvider(value);
                }
                if (value is null)
                {
                    await importer.WriteNullAsync();
                }
                else
                {
                    await importer.WriteAsync(value, mapping.StoreTypeNameBase);
                }
            }
        }
        await importer.CompleteAsync();
    }
}
