using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PracticeMesh.Grid.Data.Migrations
{
    /// <inheritdoc />
    public partial class GridHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CadreName",
                table: "grids");

            migrationBuilder.AddColumn<List<string>>(
                name: "PredecessorCodes",
                table: "grids",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<List<string>>(
                name: "SuccessorCodes",
                table: "grids",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.CreateTable(
                name: "grid_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    GridCode = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ActorId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ActorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RelatedCodes = table.Column<List<string>>(type: "text[]", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Households = table.Column<int>(type: "integer", nullable: false),
                    Population = table.Column<int>(type: "integer", nullable: false),
                    BoundaryGeoJson = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_changes", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_grid_changes_GridCode_Id",
                table: "grid_changes",
                columns: new[] { "GridCode", "Id" });

            // Grids drawn before history was kept start theirs with their creation, as they stand.
            migrationBuilder.Sql("""
                INSERT INTO grid_changes ("GridCode", "Version", "Kind", "At", "RelatedCodes", "Name", "Households", "Population", "BoundaryGeoJson")
                SELECT "Code", "Version", 'Created', "CreatedAt", '{}'::text[], "Name", "Households", "Population", "BoundaryGeoJson" FROM grids
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "grid_changes");

            migrationBuilder.DropColumn(
                name: "PredecessorCodes",
                table: "grids");

            migrationBuilder.DropColumn(
                name: "SuccessorCodes",
                table: "grids");

            migrationBuilder.AddColumn<string>(
                name: "CadreName",
                table: "grids",
                type: "character varying(50)",
                maxLength: 50,
                nullable: true);
        }
    }
}
