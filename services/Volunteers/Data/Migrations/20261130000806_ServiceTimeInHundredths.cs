using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticeMesh.Volunteers.Data.Migrations
{
    /// <inheritdoc />
    public partial class ServiceTimeInHundredths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_hour_ledger_VolunteerId_ServedOn",
                table: "hour_ledger");

            migrationBuilder.RenameColumn(
                name: "Minutes",
                table: "hour_ledger",
                newName: "Hundredths");

            migrationBuilder.RenameColumn(
                name: "Minutes",
                table: "hour_correction_requests",
                newName: "Hundredths");

            migrationBuilder.RenameColumn(
                name: "TotalMinutes",
                table: "certificates",
                newName: "TotalHundredths");

            // Whole minutes become whole hundredths of an hour, each to the nearest (a half away from zero): every entry
            // keeps the hours it showed, so a total is now the sum of the entries shown.
            migrationBuilder.Sql("""
                UPDATE hour_ledger SET "Hundredths" = CAST(ROUND("Hundredths" * 5 / 3.0) AS integer);
                UPDATE hour_correction_requests SET "Hundredths" = CAST(ROUND("Hundredths" * 5 / 3.0) AS integer);
                UPDATE certificates SET "TotalHundredths" = CAST(ROUND("TotalHundredths" * 5 / 3.0) AS integer);
                """);

            migrationBuilder.CreateIndex(
                name: "IX_hour_ledger_VolunteerId_ServedOn",
                table: "hour_ledger",
                columns: new[] { "VolunteerId", "ServedOn" })
                .Annotation("Npgsql:IndexInclude", new[] { "Hundredths" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_hour_ledger_VolunteerId_ServedOn",
                table: "hour_ledger");

            migrationBuilder.RenameColumn(
                name: "Hundredths",
                table: "hour_ledger",
                newName: "Minutes");

            migrationBuilder.RenameColumn(
                name: "Hundredths",
                table: "hour_correction_requests",
                newName: "Minutes");

            migrationBuilder.RenameColumn(
                name: "TotalHundredths",
                table: "certificates",
                newName: "TotalMinutes");

            migrationBuilder.Sql("""
                UPDATE hour_ledger SET "Minutes" = CAST(ROUND("Minutes" * 3 / 5.0) AS integer);
                UPDATE hour_correction_requests SET "Minutes" = CAST(ROUND("Minutes" * 3 / 5.0) AS integer);
                UPDATE certificates SET "TotalMinutes" = CAST(ROUND("TotalMinutes" * 3 / 5.0) AS integer);
                """);

            migrationBuilder.CreateIndex(
                name: "IX_hour_ledger_VolunteerId_ServedOn",
                table: "hour_ledger",
                columns: new[] { "VolunteerId", "ServedOn" })
                .Annotation("Npgsql:IndexInclude", new[] { "Minutes" });
        }
    }
}
