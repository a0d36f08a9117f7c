using MudBlazor;

namespace PracticeMesh.WebConsole.Components.Layout;

/// <summary>The console's colours: the civilization-practice red, with contrast enough for text on every surface.</summary>
internal static class ConsoleTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#B71C1C",
            AppbarBackground = "#B71C1C",
            Secondary = "#7A5C00",
            // Dark enough for text on white and on their own light tints (WCAG AA, 4.5:1): the library's defaults are not.
            Success = "#1B5E20",
            Info = "#0D47A1",
            Warning = "#8A4B00",
            Error = "#B71C1C",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "sans-serif"],
            },
        },
    };
}
