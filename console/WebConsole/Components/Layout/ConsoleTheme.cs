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
            Secondary = "#8D6E00",
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
