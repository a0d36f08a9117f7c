using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PracticeMesh.Volunteers.Data.Migrations
{
    /// <inheritdoc />
    public partial class UnitStationHomes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "UnitStationCode",
                table: "volunteers");

            migrationBuilder.DropColumn(
                name: "UnitStationCode",
                table: "teams");
        }
    }
}
