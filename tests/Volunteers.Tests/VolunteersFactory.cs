using PracticeMesh.TestSupport;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>The Volunteers service under test (a name for the fixture type).</summary>
public sealed class VolunteersFactory : ServiceFactory<VolunteersModule>;

/// <summary>The Volunteers service on the real PostgreSQL, in a database of its own, its schema from the migrations.</summary>
public sealed class PostgresVolunteersFactory() : PostgresServiceFactory<VolunteersModule>("volunteers");
