namespace PracticeMesh.WebConsole.Resources;

/// <summary>The grid case board's words: Chinese in Grid.resx, English in Grid.en.resx.</summary>
public sealed class Grid;
