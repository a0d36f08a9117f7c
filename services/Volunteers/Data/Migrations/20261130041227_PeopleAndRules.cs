using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticeMesh.Volunteers.Data.Migrations
{
    /// <inheritdoc />
    public partial class PeopleAndRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "PersonId",
                table: "volunteers",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UnitStationCode",
                table: "volunteers",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UnitStationCode",
                table: "teams",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "CareVisitId",
                table: "hour_ledger",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "care_pairings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    VolunteerId = table.Column<Guid>(type: "uuid", nullable: false),
                    RecipientId = table.Column<Guid>(type: "uuid", nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "date", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_care_pairings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "care_recipients",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Category = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Status = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    RegisteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RetiredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RetirementReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    IdCardHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    IdCardCipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    IdCardMasked = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: true),
                    BirthDate = table.Column<DateOnly>(type: "date", nullable: true),
                    Sex = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    MobileCipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    MobileMasked = table.Column<string>(type: "character varying(11)", maxLength: 11, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_care_recipients", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "care_visits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    VolunteerId = table.Column<Guid>(type: "uuid", nullable: false),
                    RecipientId = table.Column<Guid>(type: "uuid", nullable: false),
                    PairingId = table.Column<Guid>(type: "uuid", nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    VisitedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Summary = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Hundredths = table.Column<int>(type: "integer", nullable: false),
                    LedgerEntryId = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RecordedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_care_visits", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_volunteers_PersonId",
                table: "volunteers",
                column: "PersonId",
                unique: true,
                filter: "\"PersonId\" IS NOT NULL AND \"Status\" <> 'Rejected'");

            migrationBuilder.CreateIndex(
                name: "IX_hour_ledger_CareVisitId",
                table: "hour_ledger",
                column: "CareVisitId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_care_pairings_DivisionCode",
                table: "care_pairings",
                column: "DivisionCode")
                .Annotation("Npgsql:IndexOperators", new[] { "text_pattern_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_care_pairings_open",
                table: "care_pairings",
                columns: new[] { "VolunteerId", "RecipientId" },
                unique: true,
                filter: "\"EndedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_care_pairings_RecipientId_StartsOn",
                table: "care_pairings",
                columns: new[] { "RecipientId", "StartsOn" });

            migrationBuilder.CreateIndex(
                name: "IX_care_recipients_DivisionCode",
                table: "care_recipients",
                column: "DivisionCode")
                .Annotation("Npgsql:IndexOperators", new[] { "text_pattern_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_care_recipients_IdCardHash",
                table: "care_recipients",
                column: "IdCardHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_care_visits_DivisionCode",
                table: "care_visits",
                column: "DivisionCode")
                .Annotation("Npgsql:IndexOperators", new[] { "text_pattern_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_care_visits_LedgerEntryId",
                table: "care_visits",
                column: "LedgerEntryId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_care_visits_VolunteerId_RecipientId_VisitedOn",
                table: "care_visits",
                columns: new[] { "VolunteerId", "RecipientId", "VisitedOn" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "care_pairings");

            migrationBuilder.DropTable(
                name: "care_recipients");

            migrationBuilder.DropTable(
                name: "care_visits");

            migrationBuilder.DropIndex(
                name: "IX_volunteers_PersonId",
                table: "volunteers");

            migrationBuilder.DropIndex(
                name: "IX_hour_ledger_CareVisitId",
                table: "hour_ledger");

            migrationBuilder.DropColumn(
                name: "PersonId",
                table: "volunteers");

            migrationBuilder.DropColumn(
                name: "UnitStationCode",
                table: "volunteers");

            migrationBuilder.DropColumn(
                name: "UnitStationCode",
                table: "teams");

            migrationBuilder.DropColumn(
                name: "CareVisitId",
                table: "hour_ledger");
        }
    }
}
