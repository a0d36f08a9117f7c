using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests;

/// <summary>The Assessment service under test (a name for the fixture type).</summary>
public sealed class AssessmentFactory : ServiceFactory<AssessmentModule>;
