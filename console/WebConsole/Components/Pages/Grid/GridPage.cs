using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using PracticeMesh.WebConsole.Api;
using PracticeMesh.WebConsole.Components.Shared;

namespace PracticeMesh.WebConsole.Components.Pages.Grid;

/// <summary>What the grid pages share: their words, the clock, the county's case categories and the villages by name.</summary>
public abstract class GridPage : ConsolePage
{
    [Inject] protected IStringLocalizer<PracticeMesh.WebConsole.Resources.Grid> T { get; set; } = default!;
    [Inject] private IServiceProvider Services { get; set; } = default!;

    protected IReadOnlyList<GridCategory> Categories { get; private set; } = [];

    /// <summary>The villages and communities under the person's division, by name.</summary>
    protected IReadOnlyList<(string Code, string Name)> Villages { get; private set; } = [];

    protected DateTimeOffset Now => (Services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();

    protected async Task LoadFiltersAsync()
    {
        Categories = await Api.GetAsync<List<GridCategory>>("/api/v1/grid/categories");
        if (Person is { Division.Length: > 0 })
        {
            try
            {
                var tree = await Api.GetAsync<DivisionNames.StationNode>($"/api/v1/stations/{Person.Division}/subtree");
                Villages = [.. VillagesIn(tree).OrderBy(v => v.Code, StringComparer.Ordinal)];
            }
            catch (ApiProblemException)
            {
                // No station at the person's own division: the board still works without the village filter.
            }
        }
    }

    private static IEnumerable<(string Code, string Name)> VillagesIn(DivisionNames.StationNode node)
    {
        if (node.Code.Length == 12 && node.Code.All(char.IsAsciiDigit))
        {
            yield return (node.Code, DivisionNames.ShortName(node.Name));
        }
        foreach (var village in node.Children.SelectMany(VillagesIn))
        {
            yield return village;
        }
    }

    protected string CategoryName(string code) => Categories.FirstOrDefault(c => c.Code == code)?.Name ?? code;

}
