using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticeMesh.Activities.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReadModelsInAnyOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Rows kept before this migration are the current members (a departure deleted its row).
            migrationBuilder.AddColumn<bool>(
                name: "IsMember",
                table: "team_members",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "JoinedAt",
                table: "team_members",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LeftAt",
                table: "team_members",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "team_members",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ReinstatedAt",
                table: "known_volunteers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "SuspendedAt",
                table: "known_volunteers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "known_volunteers",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ClosedAt",
                table: "known_stations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DescribedAt",
                table: "known_stations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "known_stations",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IsMember",
                table: "team_members");

            migrationBuilder.DropColumn(
                name: "JoinedAt",
                table: "team_members");

            migrationBuilder.DropColumn(
                name: "LeftAt",
                table: "team_members");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "team_members");

            migrationBuilder.DropColumn(
                name: "ReinstatedAt",
                table: "known_volunteers");

            migrationBuilder.DropColumn(
                name: "SuspendedAt",
                table: "known_volunteers");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "known_volunteers");

            migrationBuilder.DropColumn(
                name: "ClosedAt",
                table: "known_stations");

            migrationBuilder.DropColumn(
                name: "DescribedAt",
                table: "known_stations");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "known_stations");
        }
    }
}
