using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticeMesh.Volunteers.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "achievements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    VolunteerId = table.Column<Guid>(type: "uuid", nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Issuer = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    On = table.Column<DateOnly>(type: "date", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RecordedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_achievements", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "certificates",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Serial = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    VerificationHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    VolunteerId = table.Column<Guid>(type: "uuid", nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    MaskedName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    MaskedIdCard = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    From = table.Column<DateOnly>(type: "date", nullable: false),
                    To = table.Column<DateOnly>(type: "date", nullable: false),
                    TotalMinutes = table.Column<int>(type: "integer", nullable: false),
                    EntryCount = table.Column<int>(type: "integer", nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    IssuedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_certificates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hour_correction_requests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    VolunteerId = table.Column<Guid>(type: "uuid", nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    EntryId = table.Column<Guid>(type: "uuid", nullable: true),
                    ServedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    Minutes = table.Column<int>(type: "integer", nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Status = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DecidedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    DecisionReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    ResultEntryId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hour_correction_requests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hour_ledger",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    VolunteerId = table.Column<Guid>(type: "uuid", nullable: false),
                    ActivityId = table.Column<Guid>(type: "uuid", nullable: true),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Minutes = table.Column<int>(type: "integer", nullable: false),
                    ServedOn = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    ApprovedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ApprovedBySubject = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CorrectsEntryId = table.Column<Guid>(type: "uuid", nullable: true),
                    CorrectionRequestId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hour_ledger", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "inbox_messages",
                columns: table => new
                {
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    processed_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inbox_messages", x => new { x.consumer, x.message_id });
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_type = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    payload = table.Column<string>(type: "text", nullable: false),
                    occurred_at = table.Column<long>(type: "bigint", nullable: false),
                    available_at = table.Column<long>(type: "bigint", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    locked_until = table.Column<long>(type: "bigint", nullable: true),
                    locked_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    sent_at = table.Column<long>(type: "bigint", nullable: true),
                    last_error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "team_memberships",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: false),
                    VolunteerId = table.Column<Guid>(type: "uuid", nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    JoinedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LeftAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_team_memberships", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "teams",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Tier = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Type = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    ParentTeamId = table.Column<Guid>(type: "uuid", nullable: true),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    LeaderVolunteerId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_teams", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "volunteers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Status = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    RejectionReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    SuspensionReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    RegisteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReviewedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SuspendedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    IdCardHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    IdCardCipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    IdCardMasked = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    MobileCipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    MobileMasked = table.Column<string>(type: "character varying(11)", maxLength: 11, nullable: false),
                    BirthDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Sex = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    PoliticalStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CategoryList = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    SkillList = table.Column<string>(type: "character varying(700)", maxLength: 700, nullable: false),
                    StarLevel = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_volunteers", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_achievements_VolunteerId_Kind",
                table: "achievements",
                columns: new[] { "VolunteerId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_certificates_Serial",
                table: "certificates",
                column: "Serial",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_certificates_VolunteerId",
                table: "certificates",
                column: "VolunteerId");

            migrationBuilder.CreateIndex(
                name: "IX_hour_correction_requests_DivisionCode_Status",
                table: "hour_correction_requests",
                columns: new[] { "DivisionCode", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_hour_correction_requests_VolunteerId_RequestedAt",
                table: "hour_correction_requests",
                columns: new[] { "VolunteerId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_hour_ledger_ActivityId_VolunteerId",
                table: "hour_ledger",
                columns: new[] { "ActivityId", "VolunteerId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_hour_ledger_CorrectionRequestId",
                table: "hour_ledger",
                column: "CorrectionRequestId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_hour_ledger_CorrectsEntryId",
                table: "hour_ledger",
                column: "CorrectsEntryId");

            migrationBuilder.CreateIndex(
                name: "IX_hour_ledger_VolunteerId_ServedOn",
                table: "hour_ledger",
                columns: new[] { "VolunteerId", "ServedOn" })
                .Annotation("Npgsql:IndexInclude", new[] { "Minutes" });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_pending",
                table: "outbox_messages",
                columns: new[] { "sent_at", "available_at", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "IX_team_memberships_TeamId_VolunteerId",
                table: "team_memberships",
                columns: new[] { "TeamId", "VolunteerId" });

            migrationBuilder.CreateIndex(
                name: "IX_team_memberships_VolunteerId_LeftAt",
                table: "team_memberships",
                columns: new[] { "VolunteerId", "LeftAt" });

            migrationBuilder.CreateIndex(
                name: "IX_teams_DivisionCode",
                table: "teams",
                column: "DivisionCode");

            migrationBuilder.CreateIndex(
                name: "IX_teams_ParentTeamId",
                table: "teams",
                column: "ParentTeamId");

            migrationBuilder.CreateIndex(
                name: "IX_volunteers_DivisionCode",
                table: "volunteers",
                column: "DivisionCode")
                .Annotation("Npgsql:IndexOperators", new[] { "text_pattern_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_volunteers_IdCardHash",
                table: "volunteers",
                column: "IdCardHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_volunteers_Name",
                table: "volunteers",
                column: "Name");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "achievements");

            migrationBuilder.DropTable(
                name: "certificates");

            migrationBuilder.DropTable(
                name: "hour_correction_requests");

            migrationBuilder.DropTable(
                name: "hour_ledger");

            migrationBuilder.DropTable(
                name: "inbox_messages");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "team_memberships");

            migrationBuilder.DropTable(
                name: "teams");

            migrationBuilder.DropTable(
                name: "volunteers");
        }
    }
}
