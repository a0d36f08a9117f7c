namespace PracticeMesh.WebConsole.Resources;

/// <summary>
/// The words of the work pages (stations, volunteers, orders, assessment): Chinese in Work.resx, English in
/// Work.en.resx.
/// </summary>
public sealed class Work;
