using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticeMesh.Identity.Data.Migrations
{
    /// <inheritdoc />
    public partial class OutboxDeadLetters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // IF NOT EXISTS: a database adopted at InitialCreate (tables made from the model, no history) may have them.
            migrationBuilder.Sql("ALTER TABLE outbox_messages ADD COLUMN IF NOT EXISTS dead_at bigint NULL;");
            migrationBuilder.Sql("CREATE INDEX IF NOT EXISTS ix_outbox_dead ON outbox_messages (dead_at) WHERE dead_at IS NOT NULL;");
            migrationBuilder.Sql("CREATE INDEX IF NOT EXISTS ix_inbox_processed_at ON inbox_messages (processed_at);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_dead",
                table: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "ix_inbox_processed_at",
                table: "inbox_messages");

            migrationBuilder.DropColumn(
                name: "dead_at",
                table: "outbox_messages");
        }
    }
}
