using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticeMesh.Assessment.Data.Migrations
{
    /// <inheritdoc />
    public partial class SchemesPublishingAndHonours : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "honour_lists",
                columns: table => new
                {
                    County = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    SchemeVersion = table.Column<int>(type: "integer", nullable: false),
                    ConfirmedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ConfirmedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_honour_lists", x => new { x.County, x.Year });
                });

            migrationBuilder.CreateTable(
                name: "published_periods",
                columns: table => new
                {
                    County = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    Period = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    SchemeYear = table.Column<int>(type: "integer", nullable: false),
                    SchemeVersion = table.Column<int>(type: "integer", nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PublishedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Stations = table.Column<int>(type: "integer", nullable: false),
                    Institutes = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_published_periods", x => new { x.County, x.Period });
                });

            migrationBuilder.CreateTable(
                name: "scheme_versions",
                columns: table => new
                {
                    County = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Document = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scheme_versions", x => new { x.County, x.Year, x.Version });
                });

            migrationBuilder.CreateTable(
                name: "honour_entries",
                columns: table => new
                {
                    County = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    SubjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    HomeStationCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    FiguresJson = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_honour_entries", x => new { x.County, x.Year, x.Kind, x.SubjectId });
                    table.ForeignKey(
                        name: "FK_honour_entries_honour_lists_County_Year",
                        columns: x => new { x.County, x.Year },
                        principalTable: "honour_lists",
                        principalColumns: new[] { "County", "Year" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "published_results",
                columns: table => new
                {
                    County = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    Period = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    Tier = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Subject = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    RankedWithin = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Rank = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Total = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: false),
                    Stars = table.Column<int>(type: "integer", nullable: false),
                    StarName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    ScoreJson = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_published_results", x => new { x.County, x.Period, x.Tier, x.Subject });
                    table.ForeignKey(
                        name: "FK_published_results_published_periods_County_Period",
                        columns: x => new { x.County, x.Period },
                        principalTable: "published_periods",
                        principalColumns: new[] { "County", "Period" },
                        onDelete: ReferentialAction.Restrict);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "honour_entries");

            migrationBuilder.DropTable(
                name: "published_results");

            migrationBuilder.DropTable(
                name: "scheme_versions");

            migrationBuilder.DropTable(
                name: "honour_lists");

            migrationBuilder.DropTable(
                name: "published_periods");
        }
    }
}
