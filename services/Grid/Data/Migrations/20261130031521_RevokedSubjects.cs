using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticeMesh.Grid.Data.Migrations
{
    /// <inheritdoc />
    public partial class RevokedSubjects : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // IF NOT EXISTS: a database adopted at InitialCreate (tables made from the model, no history) may have them.
            migrationBuilder.Sql("CREATE TABLE IF NOT EXISTS revoked_subjects (subject character varying(200) NOT NULL, not_before timestamp with time zone NOT NULL, version integer NOT NULL, CONSTRAINT \"PK_revoked_subjects\" PRIMARY KEY (subject));");
            migrationBuilder.Sql("CREATE INDEX IF NOT EXISTS ix_revoked_subjects_not_before ON revoked_subjects (not_before);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "revoked_subjects");
        }
    }
}
