using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using PracticeMesh.WebConsole.Api;
using PracticeMesh.WebConsole.Auth;
using PracticeMesh.WebConsole.Resources;

namespace PracticeMesh.WebConsole.Components.Shared;

/// <summary>
/// What every console page shares: the API as the signed-in person, who they are, division names, and
/// <see cref="RunAsync"/>, which turns an API refusal into <see cref="Problem"/> (shown in plain words by
/// <c>&lt;ProblemAlert&gt;</c>), sends the browser to sign in again when the session has ended, and shows
/// <see cref="Busy"/> while it runs.
/// </summary>
/// <remarks>
/// Streamed while prerendering: the page's frame (menu, heading, progress bar) reaches the browser at once and its
/// data follows in the same response, so the first paint does not wait for the slowest of a page's API reads.
/// </remarks>
[StreamRendering]
public abstract class ConsolePage : ComponentBase
{
    [Inject] protected ConsoleApi Api { get; set; } = default!;
    [Inject] protected DivisionNames Divisions { get; set; } = default!;
    [Inject] protected NavigationManager Navigation { get; set; } = default!;
    [Inject] protected IStringLocalizer<Labels> L { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The signed-in person, or null on a public page.</summary>
    protected SignedInPerson? Person { get; private set; }

    /// <summary>What the API said the last time it refused; null when the last action succeeded.</summary>
    protected ApiProblem? Problem { get; set; }

    /// <summary>Whether an action is running (a progress bar shows it; buttons are disabled).</summary>
    protected bool Busy { get; private set; }

    /// <summary>
    /// True for a part whose reads are many and below the fold (the county's monthly charts, the map): it reads once the
    /// page is interactive, not also while prerendering, so neither the first paint nor the server's work per visit
    /// waits on it. It shows its progress bar meanwhile.
    /// </summary>
    protected virtual bool LoadsOnlyWhenInteractive => false;

    protected override async Task OnInitializedAsync()
    {
        if (LoadsOnlyWhenInteractive && !RendererInfo.IsInteractive)
        {
            Busy = true;
            return;
        }
        if (AuthenticationState is not null)
        {
            Person = SignedInPerson.From((await AuthenticationState).User);
        }
        if (Person is { Division.Length: > 0 })
        {
            await RunAsync(() => Divisions.LoadAsync(Person.Division));
        }
        await RunAsync(LoadAsync);
    }

    /// <summary>The page's first data, through <see cref="RunAsync"/>.</summary>
    protected virtual Task LoadAsync() => Task.CompletedTask;

    /// <summary>Runs an action against the API: busy meanwhile, its refusal in <see cref="Problem"/>. True when it succeeded.</summary>
    protected async Task<bool> RunAsync(Func<Task> action)
    {
        Busy = true;
        Problem = null;
        try
        {
            await action();
            return true;
        }
        catch (ApiProblemException ex)
        {
            Problem = ex.Problem;
            return false;
        }
        catch (SignInRequiredException)
        {
            Navigation.NavigateTo($"{ConsoleRoutes.SignIn}?returnUrl={Uri.EscapeDataString("/" + Navigation.ToBaseRelativePath(Navigation.Uri))}", forceLoad: true);
            return false;
        }
        finally
        {
            Busy = false;
        }
    }
}
