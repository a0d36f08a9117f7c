using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticeMesh.Activities.Data.Migrations
{
    /// <inheritdoc />
    public partial class ResidentsOrdersEscalation : Migration
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

            migrationBuilder.CreateIndex(
                name: "IX_service_orders_ResidentId_PlacedAt",
                table: "service_orders",
                columns: new[] { "ResidentId", "PlacedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_service_orders_Status_PlacedAt",
                table: "service_orders",
                columns: new[] { "Status", "PlacedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "order_escalations");

            migrationBuilder.DropIndex(
                name: "IX_service_orders_ResidentId_PlacedAt",
                table: "service_orders");

            migrationBuilder.DropIndex(
                name: "IX_service_orders_Status_PlacedAt",
                table: "service_orders");

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
