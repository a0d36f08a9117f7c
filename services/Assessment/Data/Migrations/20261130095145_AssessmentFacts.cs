using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PracticeMesh.Assessment.Data.Migrations
{
    /// <inheritdoc />
    public partial class AssessmentFacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "station_months");

            migrationBuilder.CreateTable(
                name: "activity_facts",
                columns: table => new
                {
                    ActivityId = table.Column<Guid>(type: "uuid", nullable: false),
                    StationCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: true),
                    Category = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    StartsAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LateAnnouncement = table.Column<bool>(type: "boolean", nullable: true),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AttendeeCount = table.Column<int>(type: "integer", nullable: false),
                    AttendeeCountAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_activity_facts", x => x.ActivityId);
                });

            migrationBuilder.CreateTable(
                name: "care_visit_facts",
                columns: table => new
                {
                    VisitId = table.Column<Guid>(type: "uuid", nullable: false),
                    StationCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    VolunteerId = table.Column<Guid>(type: "uuid", nullable: false),
                    VisitedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    Hundredths = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_care_visit_facts", x => x.VisitId);
                });

            migrationBuilder.CreateTable(
                name: "case_facts",
                columns: table => new
                {
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    StationCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Category = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    ReportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReportedMonth = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClosedMonth = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: true),
                    Outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    OnTime = table.Column<bool>(type: "boolean", nullable: false),
                    EscalationLevel = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_facts", x => x.CaseId);
                });

            migrationBuilder.CreateTable(
                name: "hours_facts",
                columns: table => new
                {
                    LedgerEntryId = table.Column<Guid>(type: "uuid", nullable: false),
                    VolunteerId = table.Column<Guid>(type: "uuid", nullable: false),
                    ActivityId = table.Column<Guid>(type: "uuid", nullable: true),
                    CareVisitId = table.Column<Guid>(type: "uuid", nullable: true),
                    Hundredths = table.Column<long>(type: "bigint", nullable: false),
                    CreditedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hours_facts", x => x.LedgerEntryId);
                });

            migrationBuilder.CreateTable(
                name: "leaderboard_marks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Subject = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_leaderboard_marks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "measure_cells",
                columns: table => new
                {
                    Kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Subject = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    Measure = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_measure_cells", x => new { x.Kind, x.Subject, x.Month, x.Measure });
                });

            migrationBuilder.CreateTable(
                name: "order_facts",
                columns: table => new
                {
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    StationCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: true),
                    VolunteerId = table.Column<Guid>(type: "uuid", nullable: true),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    Overdue = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_facts", x => x.OrderId);
                });

            migrationBuilder.CreateTable(
                name: "participation_facts",
                columns: table => new
                {
                    ActivityId = table.Column<Guid>(type: "uuid", nullable: false),
                    VolunteerId = table.Column<Guid>(type: "uuid", nullable: false),
                    StationCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: true),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    CompletionHundredths = table.Column<long>(type: "bigint", nullable: true),
                    CorrectionHundredths = table.Column<long>(type: "bigint", nullable: false),
                    CorrectedDown = table.Column<bool>(type: "boolean", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_participation_facts", x => new { x.ActivityId, x.VolunteerId });
                });

            migrationBuilder.CreateTable(
                name: "rating_facts",
                columns: table => new
                {
                    EventId = table.Column<Guid>(type: "uuid", nullable: false),
                    Source = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    SourceId = table.Column<Guid>(type: "uuid", nullable: false),
                    StationCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: true),
                    Score = table.Column<int>(type: "integer", nullable: false),
                    RatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rating_facts", x => x.EventId);
                });

            migrationBuilder.CreateTable(
                name: "six_haves_facts",
                columns: table => new
                {
                    EventId = table.Column<Guid>(type: "uuid", nullable: false),
                    StationCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PassedItems = table.Column<int>(type: "integer", nullable: false),
                    RequiredItems = table.Column<int>(type: "integer", nullable: false),
                    Compliant = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_six_haves_facts", x => x.EventId);
                });

            migrationBuilder.CreateTable(
                name: "staffing_facts",
                columns: table => new
                {
                    EventId = table.Column<Guid>(type: "uuid", nullable: false),
                    StationCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StaffCount = table.Column<int>(type: "integer", nullable: false),
                    RequiredMin = table.Column<int>(type: "integer", nullable: true),
                    Met = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_staffing_facts", x => x.EventId);
                });

            migrationBuilder.CreateTable(
                name: "station_facts",
                columns: table => new
                {
                    StationCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ParentStationCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    RegisteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NamedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_station_facts", x => x.StationCode);
                });

            migrationBuilder.CreateTable(
                name: "team_facts",
                columns: table => new
                {
                    TeamId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    HomeStationCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Tier = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Type = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_team_facts", x => x.TeamId);
                });

            migrationBuilder.CreateTable(
                name: "team_membership_facts",
                columns: table => new
                {
                    EventId = table.Column<Guid>(type: "uuid", nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: false),
                    VolunteerId = table.Column<Guid>(type: "uuid", nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Joined = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_team_membership_facts", x => x.EventId);
                });

            migrationBuilder.CreateTable(
                name: "volunteer_facts",
                columns: table => new
                {
                    VolunteerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    HomeStationCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CategoryList = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    ApprovedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_volunteer_facts", x => x.VolunteerId);
                });

            migrationBuilder.CreateTable(
                name: "volunteer_status_facts",
                columns: table => new
                {
                    EventId = table.Column<Guid>(type: "uuid", nullable: false),
                    VolunteerId = table.Column<Guid>(type: "uuid", nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Suspended = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_volunteer_status_facts", x => x.EventId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_activity_facts_Month_StationCode",
                table: "activity_facts",
                columns: new[] { "Month", "StationCode" });

            migrationBuilder.CreateIndex(
                name: "IX_activity_facts_TeamId_Month",
                table: "activity_facts",
                columns: new[] { "TeamId", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_care_visit_facts_Month_StationCode",
                table: "care_visit_facts",
                columns: new[] { "Month", "StationCode" });

            migrationBuilder.CreateIndex(
                name: "IX_case_facts_ClosedMonth",
                table: "case_facts",
                column: "ClosedMonth");

            migrationBuilder.CreateIndex(
                name: "IX_case_facts_ReportedMonth",
                table: "case_facts",
                column: "ReportedMonth");

            migrationBuilder.CreateIndex(
                name: "IX_hours_facts_Month",
                table: "hours_facts",
                column: "Month");

            migrationBuilder.CreateIndex(
                name: "IX_hours_facts_VolunteerId_Month",
                table: "hours_facts",
                columns: new[] { "VolunteerId", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_measure_cells_Month_Kind_Measure",
                table: "measure_cells",
                columns: new[] { "Month", "Kind", "Measure" });

            migrationBuilder.CreateIndex(
                name: "IX_order_facts_Month_StationCode",
                table: "order_facts",
                columns: new[] { "Month", "StationCode" });

            migrationBuilder.CreateIndex(
                name: "IX_participation_facts_Month",
                table: "participation_facts",
                column: "Month");

            migrationBuilder.CreateIndex(
                name: "IX_participation_facts_TeamId_Month",
                table: "participation_facts",
                columns: new[] { "TeamId", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_participation_facts_VolunteerId_Month",
                table: "participation_facts",
                columns: new[] { "VolunteerId", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_rating_facts_Month_StationCode",
                table: "rating_facts",
                columns: new[] { "Month", "StationCode" });

            migrationBuilder.CreateIndex(
                name: "IX_rating_facts_TeamId_Month",
                table: "rating_facts",
                columns: new[] { "TeamId", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_six_haves_facts_StationCode_OccurredAt",
                table: "six_haves_facts",
                columns: new[] { "StationCode", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_staffing_facts_StationCode_OccurredAt",
                table: "staffing_facts",
                columns: new[] { "StationCode", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_station_facts_DivisionCode",
                table: "station_facts",
                column: "DivisionCode");

            migrationBuilder.CreateIndex(
                name: "IX_team_facts_HomeStationCode",
                table: "team_facts",
                column: "HomeStationCode");

            migrationBuilder.CreateIndex(
                name: "IX_team_membership_facts_TeamId_VolunteerId_OccurredAt",
                table: "team_membership_facts",
                columns: new[] { "TeamId", "VolunteerId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_volunteer_facts_HomeStationCode",
                table: "volunteer_facts",
                column: "HomeStationCode");

            migrationBuilder.CreateIndex(
                name: "IX_volunteer_status_facts_VolunteerId_OccurredAt",
                table: "volunteer_status_facts",
                columns: new[] { "VolunteerId", "OccurredAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "activity_facts");

            migrationBuilder.DropTable(
                name: "care_visit_facts");

            migrationBuilder.DropTable(
                name: "case_facts");

            migrationBuilder.DropTable(
                name: "hours_facts");

            migrationBuilder.DropTable(
                name: "leaderboard_marks");

            migrationBuilder.DropTable(
                name: "measure_cells");

            migrationBuilder.DropTable(
                name: "order_facts");

            migrationBuilder.DropTable(
                name: "participation_facts");

            migrationBuilder.DropTable(
                name: "rating_facts");

            migrationBuilder.DropTable(
                name: "six_haves_facts");

            migrationBuilder.DropTable(
                name: "staffing_facts");

            migrationBuilder.DropTable(
                name: "station_facts");

            migrationBuilder.DropTable(
                name: "team_facts");

            migrationBuilder.DropTable(
                name: "team_membership_facts");

            migrationBuilder.DropTable(
                name: "volunteer_facts");

            migrationBuilder.DropTable(
                name: "volunteer_status_facts");

            migrationBuilder.CreateTable(
                name: "station_months",
                columns: table => new
                {
                    StationCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    CompletedActivities = table.Column<int>(type: "integer", nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    ParticipantCount = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    VolunteerHundredths = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_station_months", x => new { x.StationCode, x.Month });
                });

            migrationBuilder.CreateIndex(
                name: "IX_station_months_Month_DivisionCode",
                table: "station_months",
                columns: new[] { "Month", "DivisionCode" });
        }
    }
}
