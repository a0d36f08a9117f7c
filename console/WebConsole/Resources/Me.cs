namespace PracticeMesh.WebConsole.Resources;

/// <summary>The volunteer's phone view (我的志愿): Chinese in Me.resx, English in Me.en.resx.</summary>
public sealed class Me;
