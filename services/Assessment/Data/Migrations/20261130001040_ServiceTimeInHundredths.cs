using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticeMesh.Assessment.Data.Migrations
{
    /// <inheritdoc />
    public partial class ServiceTimeInHundredths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "VolunteerMinutes",
                table: "station_months",
                newName: "VolunteerHundredths");

            // Whole minutes become whole hundredths of an hour, to the nearest (a half away from zero).
            migrationBuilder.Sql("""
                UPDATE station_months SET "VolunteerHundredths" = CAST(ROUND("VolunteerHundredths" * 5 / 3.0) AS integer);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE station_months SET "VolunteerHundredths" = CAST(ROUND("VolunteerHundredths" * 3 / 5.0) AS integer);
                """);

            migrationBuilder.RenameColumn(
                name: "VolunteerHundredths",
                table: "station_months",
                newName: "VolunteerMinutes");
        }
    }
}
