using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticeMesh.Grid.Data.Migrations
{
    /// <inheritdoc />
    public partial class OutboxDeadLetters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "dead_at",
                table: "outbox_messages",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_dead",
                table: "outbox_messages",
                column: "dead_at",
                filter: "dead_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_processed_at",
                table: "inbox_messages",
                column: "processed_at");
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
