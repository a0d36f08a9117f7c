using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using PracticeMesh.WebConsole.Components.Shared;

namespace PracticeMesh.WebConsole.Components.Pages.Public;

/// <summary>
/// What the public pages share: their words, the clock, and the stations' public directory, so a resident who is not
/// signed in picks a place by name.
/// </summary>
public abstract class PublicPage : ConsolePage
{
    [Inject] protected IStringLocalizer<PracticeMesh.WebConsole.Resources.Public> T { get; set; } = default!;
    [Inject] private IServiceProvider Services { get; set; } = default!;

    protected IReadOnlyList<DirectoryEntry> Directory { get; private set; } = [];

    protected DateTimeOffset Now => (Services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();

    /// <summary>The open sites of the signed-in person's county, or of every county for a visitor.</summary>
    protected async Task LoadDirectoryAsync()
    {
        var county = Person is { Division.Length: >= 6 } ? Person.Division[..6] : null;
        Directory = await Api.GetAnonymousAsync<List<DirectoryEntry>>(
            county is null ? "/api/v1/stations/directory" : $"/api/v1/stations/directory?under={county}");
    }

    protected string NameOf(string? code) =>
        Directory.FirstOrDefault(d => d.Code == code)?.DivisionName ?? Divisions.NameOf(code);

    /// <summary>Where signing in brings the person back to.</summary>
    protected string SignInHref(string returnUrl) => $"{ConsoleRoutes.SignIn}?returnUrl={Uri.EscapeDataString(returnUrl)}";

}
