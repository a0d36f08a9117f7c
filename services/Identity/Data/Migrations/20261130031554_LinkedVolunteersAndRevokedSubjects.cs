using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticeMesh.Identity.Data.Migrations
{
    /// <inheritdoc />
    public partial class LinkedVolunteersAndRevokedSubjects : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "VolunteerId",
                table: "people",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "known_volunteers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ApprovedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SuspendedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReinstatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_known_volunteers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "revoked_subjects",
                columns: table => new
                {
                    subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    not_before = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_revoked_subjects", x => x.subject);
                });

            migrationBuilder.CreateIndex(
                name: "IX_people_VolunteerId",
                table: "people",
                column: "VolunteerId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_revoked_subjects_not_before",
                table: "revoked_subjects",
                column: "not_before");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "known_volunteers");

            migrationBuilder.DropTable(
                name: "revoked_subjects");

            migrationBuilder.DropIndex(
                name: "IX_people_VolunteerId",
                table: "people");

            migrationBuilder.DropColumn(
                name: "VolunteerId",
                table: "people");
        }
    }
}
