using PracticeMesh.TestSupport;

namespace PracticeMesh.Activities.Tests;

/// <summary>The Activities service under test (a name for the fixture type).</summary>
public class ActivitiesFactory : ServiceFactory<ActivitiesModule>;
