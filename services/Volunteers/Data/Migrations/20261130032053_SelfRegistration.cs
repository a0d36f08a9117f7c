using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticeMesh.Volunteers.Data.Migrations
{
    /// <inheritdoc />
    public partial class SelfRegistration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "PersonId",
                table: "volunteers",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_volunteers_PersonId",
                table: "volunteers",
                column: "PersonId",
                unique: true,
                filter: "\"PersonId\" IS NOT NULL AND \"Status\" <> 'Rejected'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_volunteers_PersonId",
                table: "volunteers");

            migrationBuilder.DropColumn(
                name: "PersonId",
                table: "volunteers");
        }
    }
}
