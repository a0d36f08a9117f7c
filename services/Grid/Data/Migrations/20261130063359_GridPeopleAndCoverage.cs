using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticeMesh.Grid.Data.Migrations
{
    /// <inheritdoc />
    public partial class GridPeopleAndCoverage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EndRemark",
                table: "grid_assignments",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Remark",
                table: "grid_assignments",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "coverage_gaps",
                columns: table => new
                {
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Gap = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    OpenedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_coverage_gaps", x => new { x.DivisionCode, x.Gap, x.GridCode });
                });

            migrationBuilder.CreateIndex(
                name: "ux_grid_assignments_open",
                table: "grid_assignments",
                columns: new[] { "GridCode", "PersonId", "Duty" },
                unique: true,
                filter: "\"Until\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "coverage_gaps");

            migrationBuilder.DropIndex(
                name: "ux_grid_assignments_open",
                table: "grid_assignments");

            migrationBuilder.DropColumn(
                name: "EndRemark",
                table: "grid_assignments");

            migrationBuilder.DropColumn(
                name: "Remark",
                table: "grid_assignments");
        }
    }
}
