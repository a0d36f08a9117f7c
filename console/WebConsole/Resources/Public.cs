namespace PracticeMesh.WebConsole.Resources;

/// <summary>The public pages' words (plan, ordering, reporting, following): Chinese in Public.resx, English in Public.en.resx.</summary>
public sealed class Public;
