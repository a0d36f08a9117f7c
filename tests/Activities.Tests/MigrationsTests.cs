using PracticeMesh.Activities.Data;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Activities.Tests;

public sealed class MigrationsTests
{
    [Fact]
    public void The_model_has_no_change_missing_from_the_migrations() =>
        MigrationAssertions.AssertModelMatchesMigrations(new DesignTimeFactory());
}
