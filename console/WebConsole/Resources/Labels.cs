using System.Resources;

[assembly: NeutralResourcesLanguage("zh-CN")]

namespace PracticeMesh.WebConsole.Resources;

/// <summary>
/// The console's common words (layout, navigation, buttons): Chinese in Labels.resx, English in Labels.en.resx. Each
/// area of pages keeps its own words in a resource pair of its own beside this one.
/// </summary>
public sealed class Labels;
