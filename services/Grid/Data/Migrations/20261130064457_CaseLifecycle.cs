using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticeMesh.Grid.Data.Migrations
{
    /// <inheritdoc />
    public partial class CaseLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "Media",
                table: "case_steps",
                type: "text[]",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "case_followers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReporterSubject = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    FollowToken = table.Column<Guid>(type: "uuid", nullable: false),
                    FromCaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_followers", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_case_followers_CaseId_FollowToken",
                table: "case_followers",
                columns: new[] { "CaseId", "FollowToken" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_case_followers_FollowToken",
                table: "case_followers",
                column: "FollowToken");

            migrationBuilder.CreateIndex(
                name: "IX_case_followers_ReporterSubject",
                table: "case_followers",
                column: "ReporterSubject");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_followers");

            migrationBuilder.DropColumn(
                name: "Media",
                table: "case_steps");
        }
    }
}
