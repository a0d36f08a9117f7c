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
            // IF NOT EXISTS: a database adopted at InitialCreate (tables made from the model, no history) may have them.
            migrationBuilder.Sql("CREATE TABLE IF NOT EXISTS revoked_subjects (subject character varying(200) NOT NULL, not_before timestamp with time zone NOT NULL, version integer NOT NULL, CONSTRAINT \"PK_revoked_subjects\" PRIMARY KEY (subject));");
            migrationBuilder.Sql("CREATE INDEX IF NOT EXISTS ix_revoked_subjects_not_before ON revoked_subjects (not_before);");
            migrationBuilder.Sql("ALTER TABLE people ADD COLUMN IF NOT EXISTS \"VolunteerId\" uuid NULL;");
            migrationBuilder.Sql("CREATE UNIQUE INDEX IF NOT EXISTS \"IX_people_VolunteerId\" ON people (\"VolunteerId\");");
            migrationBuilder.Sql("CREATE TABLE IF NOT EXISTS known_volunteers (\"Id\" uuid NOT NULL, \"DivisionCode\" character varying(12) NOT NULL, \"DisplayName\" character varying(100) NOT NULL, \"ApprovedAt\" timestamp with time zone NULL, \"SuspendedAt\" timestamp with time zone NULL, \"ReinstatedAt\" timestamp with time zone NULL, \"Version\" integer NOT NULL, CONSTRAINT \"PK_known_volunteers\" PRIMARY KEY (\"Id\"));");
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
