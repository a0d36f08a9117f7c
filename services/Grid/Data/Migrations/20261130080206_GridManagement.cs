using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PracticeMesh.Grid.Data.Migrations
{
    /// <inheritdoc />
    public partial class GridManagement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CadreName",
                table: "grids");

            migrationBuilder.AddColumn<List<string>>(
                name: "PredecessorCodes",
                table: "grids",
                type: "text[]",
                nullable: false);

            migrationBuilder.AddColumn<List<string>>(
                name: "SuccessorCodes",
                table: "grids",
                type: "text[]",
                nullable: false);

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

            migrationBuilder.AddColumn<List<string>>(
                name: "Media",
                table: "case_steps",
                type: "text[]",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "case_escalations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    CategoryCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Stage = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Level = table.Column<int>(type: "integer", nullable: false),
                    EscalatedTo = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_escalations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "case_followers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReporterSubject = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    FollowToken = table.Column<Guid>(type: "uuid", nullable: false),
                    FromCaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_followers", x => x.Id);
                });

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

            migrationBuilder.CreateTable(
                name: "grid_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    GridCode = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ActorId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ActorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RelatedCodes = table.Column<List<string>>(type: "text[]", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Households = table.Column<int>(type: "integer", nullable: false),
                    Population = table.Column<int>(type: "integer", nullable: false),
                    BoundaryGeoJson = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_changes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "open311_keys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ClientId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Division = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_open311_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "working_calendars",
                columns: table => new
                {
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Holidays = table.Column<List<DateOnly>>(type: "date[]", nullable: false),
                    Workdays = table.Column<List<DateOnly>>(type: "date[]", nullable: false),
                    Source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_working_calendars", x => x.Year);
                });

            migrationBuilder.CreateIndex(
                name: "ux_grid_assignments_open",
                table: "grid_assignments",
                columns: new[] { "GridCode", "PersonId", "Duty" },
                unique: true,
                filter: "\"Until\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_cases_open_DivisionCode_ReportedAt",
                table: "cases",
                columns: new[] { "DivisionCode", "ReportedAt" },
                filter: "\"Status\" IN ('Reported', 'Accepted', 'Dispatched', 'Handled', 'Verified')");

            migrationBuilder.CreateIndex(
                name: "IX_case_escalations_CaseId_Level",
                table: "case_escalations",
                columns: new[] { "CaseId", "Level" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_case_escalations_EscalatedTo_At",
                table: "case_escalations",
                columns: new[] { "EscalatedTo", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_case_followers_CaseId_FollowToken",
                table: "case_followers",
                columns: new[] { "CaseId", "FollowToken" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_case_followers_FollowToken",
                table: "case_followers",
                column: "FollowToken");

            migrationBuilder.CreateIndex(
                name: "IX_case_followers_ReporterSubject",
                table: "case_followers",
                column: "ReporterSubject");

            migrationBuilder.CreateIndex(
                name: "IX_grid_changes_GridCode_Id",
                table: "grid_changes",
                columns: new[] { "GridCode", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_open311_keys_ClientId",
                table: "open311_keys",
                column: "ClientId");

            // Grids drawn before history was kept start theirs with their creation, as they stand.
            migrationBuilder.Sql("""
                INSERT INTO grid_changes ("GridCode", "Version", "Kind", "At", "RelatedCodes", "Name", "Households", "Population", "BoundaryGeoJson")
                SELECT "Code", "Version", 'Created', "CreatedAt", '{}'::text[], "Name", "Households", "Population", "BoundaryGeoJson" FROM grids
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_escalations");

            migrationBuilder.DropTable(
                name: "case_followers");

            migrationBuilder.DropTable(
                name: "coverage_gaps");

            migrationBuilder.DropTable(
                name: "grid_changes");

            migrationBuilder.DropTable(
                name: "open311_keys");

            migrationBuilder.DropTable(
                name: "working_calendars");

            migrationBuilder.DropIndex(
                name: "ux_grid_assignments_open",
                table: "grid_assignments");

            migrationBuilder.DropIndex(
                name: "IX_cases_open_DivisionCode_ReportedAt",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "PredecessorCodes",
                table: "grids");

            migrationBuilder.DropColumn(
                name: "SuccessorCodes",
                table: "grids");

            migrationBuilder.DropColumn(
                name: "EndRemark",
                table: "grid_assignments");

            migrationBuilder.DropColumn(
                name: "Remark",
                table: "grid_assignments");

            migrationBuilder.DropColumn(
                name: "Media",
                table: "case_steps");

            migrationBuilder.AddColumn<string>(
                name: "CadreName",
                table: "grids",
                type: "character varying(50)",
                maxLength: 50,
                nullable: true);
        }
    }
}
