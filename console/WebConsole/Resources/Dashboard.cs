namespace PracticeMesh.WebConsole.Resources;

/// <summary>The dashboard's and the map's words: Chinese in Dashboard.resx, English in Dashboard.en.resx.</summary>
public sealed class Dashboard;
