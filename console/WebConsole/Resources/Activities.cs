namespace PracticeMesh.WebConsole.Resources;

/// <summary>The activity pages' words: Chinese in Activities.resx, English in Activities.en.resx.</summary>
public sealed class Activities;
