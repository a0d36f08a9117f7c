using PracticeMesh.TestSupport;

namespace PracticeMesh.Stations.Tests;

/// <summary>The Stations service under test (a name for the fixture type).</summary>
public sealed class StationsFactory : ServiceFactory<StationsModule>;
