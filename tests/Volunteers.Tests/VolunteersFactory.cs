using PracticeMesh.TestSupport;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>The Volunteers service under test (a name for the fixture type).</summary>
public sealed class VolunteersFactory : ServiceFactory<VolunteersModule>;
