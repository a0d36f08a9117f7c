using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticeMesh.Activities.Data.Migrations
{
    /// <inheritdoc />
    public partial class PeopleAndRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<Guid>(
                name: "MenuItemId",
                table: "service_orders",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "EscalatedAt",
                table: "service_orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalatedTo",
                table: "service_orders",
                type: "character varying(12)",
                maxLength: 12,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "EscalationLevel",
                table: "service_orders",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "EscalationReason",
                table: "service_orders",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "LeaderVolunteerId",
                table: "known_teams",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ParentTeamId",
                table: "known_teams",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "LecturerId",
                table: "activities",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "SeriesId",
                table: "activities",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "activity_records",
                columns: table => new
                {
                    ActivityId = table.Column<Guid>(type: "uuid", nullable: false),
                    Summary = table.Column<string>(type: "character varying(5000)", maxLength: 5000, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_activity_records", x => x.ActivityId);
                });

            migrationBuilder.CreateTable(
                name: "activity_series",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    StationCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Frequency = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Weekdays = table.Column<int[]>(type: "integer[]", nullable: false),
                    DayOfMonth = table.Column<int>(type: "integer", nullable: true),
                    FirstDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Until = table.Column<DateOnly>(type: "date", nullable: true),
                    Count = table.Column<int>(type: "integer", nullable: true),
                    StartTime = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    EndTime = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Category = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Capacity = table.Column<int>(type: "integer", nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: true),
                    Platform = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    Venue = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Lecturer = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LecturerId = table.Column<Guid>(type: "uuid", nullable: true),
                    Audience = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Content = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    IsMobile = table.Column<bool>(type: "boolean", nullable: false),
                    Place = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Latitude = table.Column<double>(type: "double precision", nullable: true),
                    Longitude = table.Column<double>(type: "double precision", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CancelledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CancelReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_activity_series", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "lecturers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Topics = table.Column<List<string>>(type: "text[]", nullable: false),
                    Phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lecturers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "order_escalations",
                columns: table => new
                {
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    Level = table.Column<int>(type: "integer", nullable: false),
                    Reason = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    EscalatedTo = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_escalations", x => new { x.OrderId, x.Level });
                });

            migrationBuilder.CreateTable(
                name: "record_attachments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ActivityId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    FileName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    StorageKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_record_attachments", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_service_orders_ResidentId_PlacedAt",
                table: "service_orders",
                columns: new[] { "ResidentId", "PlacedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_service_orders_Status_PlacedAt",
                table: "service_orders",
                columns: new[] { "Status", "PlacedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_known_teams_DivisionCode",
                table: "known_teams",
                column: "DivisionCode");

            migrationBuilder.CreateIndex(
                name: "IX_activities_SeriesId",
                table: "activities",
                column: "SeriesId");

            migrationBuilder.CreateIndex(
                name: "IX_activity_series_DivisionCode",
                table: "activity_series",
                column: "DivisionCode");

            migrationBuilder.CreateIndex(
                name: "IX_lecturers_DivisionCode",
                table: "lecturers",
                column: "DivisionCode");

            migrationBuilder.CreateIndex(
                name: "IX_record_attachments_ActivityId",
                table: "record_attachments",
                column: "ActivityId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "activity_records");

            migrationBuilder.DropTable(
                name: "activity_series");

            migrationBuilder.DropTable(
                name: "lecturers");

            migrationBuilder.DropTable(
                name: "order_escalations");

            migrationBuilder.DropTable(
                name: "record_attachments");

            migrationBuilder.DropIndex(
                name: "IX_service_orders_ResidentId_PlacedAt",
                table: "service_orders");

            migrationBuilder.DropIndex(
                name: "IX_service_orders_Status_PlacedAt",
                table: "service_orders");

            migrationBuilder.DropIndex(
                name: "IX_known_teams_DivisionCode",
                table: "known_teams");

            migrationBuilder.DropIndex(
                name: "IX_activities_SeriesId",
                table: "activities");

            migrationBuilder.DropColumn(
                name: "EscalatedAt",
                table: "service_orders");

            migrationBuilder.DropColumn(
                name: "EscalatedTo",
                table: "service_orders");

            migrationBuilder.DropColumn(
                name: "EscalationLevel",
                table: "service_orders");

            migrationBuilder.DropColumn(
                name: "EscalationReason",
                table: "service_orders");

            migrationBuilder.DropColumn(
                name: "LeaderVolunteerId",
                table: "known_teams");

            migrationBuilder.DropColumn(
                name: "ParentTeamId",
                table: "known_teams");

            migrationBuilder.DropColumn(
                name: "LecturerId",
                table: "activities");

            migrationBuilder.DropColumn(
                name: "SeriesId",
                table: "activities");

            migrationBuilder.AlterColumn<Guid>(
                name: "MenuItemId",
                table: "service_orders",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}
