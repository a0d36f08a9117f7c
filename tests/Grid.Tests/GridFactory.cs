using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>The Grid service under test (a name for the fixture type).</summary>
public sealed class GridFactory : ServiceFactory<GridModule>;
