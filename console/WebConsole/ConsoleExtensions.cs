using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MudBlazor.Services;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.WebConsole.Api;
using PracticeMesh.WebConsole.Auth;
using PracticeMesh.WebConsole.Components;

namespace PracticeMesh.WebConsole;

public static class ConsoleExtensions
{
    /// <summary>The console's languages: Chinese first, English from resources.</summary>
    public static readonly CultureInfo[] Cultures = [new("zh-CN"), new("en")];

    /// <summary>
    /// The web console in this host, served at <c>/</c>: its pages (interactive on the server), sign-in against
    /// <c>Console:Authority</c> (default <c>Auth:Issuer</c>) and the API client for <c>Console:ApiBaseAddress</c>
    /// (default the same). Call after <c>AddServiceDefaults</c>; <c>MapServiceDefaults</c> maps it.
    /// </summary>
    public static IHostApplicationBuilder AddWebConsole(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ConsoleOptions.Section).Get<ConsoleOptions>() ?? new ConsoleOptions();
        var issuer = builder.Configuration["Auth:Issuer"];
        options.Authority ??= issuer ?? throw new InvalidOperationException("The console needs Console:Authority (or Auth:Issuer): the address of the identity service that signs people in.");
        options.ApiBaseAddress ??= issuer ?? options.Authority;
        if (builder.Configuration["Auth:RequireHttpsMetadata"] is { } requireHttps && builder.Configuration[$"{ConsoleOptions.Section}:RequireHttpsMetadata"] is null)
        {
            options.RequireHttpsMetadata = bool.Parse(requireHttps);
        }
        builder.Services.AddSingleton(options);
        if (builder.Environment is IWebHostEnvironment web)
        {
            // Run from its build output (dotnet run, the tests) in any environment, a host finds the console's and the
            // component library's files where the build left them; a published host has them in wwwroot already.
            StaticWebAssetsLoader.UseStaticWebAssets(web, builder.Configuration);
        }

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddLocalization();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddDistributedMemoryCache();
        builder.Services.AddSingleton<ConsoleTokenStore>();
        builder.Services.AddSingleton<IssuerMetadata>();
        builder.Services.AddScoped<ConsoleTokens>();
        builder.Services.AddScoped<ConsoleApi>();
        builder.Services.AddScoped<DivisionNames>();
        builder.Services.AddHttpClient(ConsoleHttpClients.Api, http => http.BaseAddress = new Uri(options.ApiBaseAddress));
        builder.Services.AddHttpClient(ConsoleHttpClients.Identity);
        builder.Services.AddConsoleAuthentication(options);
        builder.Services.AddSingleton<IServiceDefaultsPipeline, ConsolePipeline>();
        return builder;
    }

    private sealed class ConsolePipeline : IServiceDefaultsPipeline
    {
        public void UseAfterAuthorization(WebApplication app)
        {
            // The console's files (its script and styles, the component library's, the framework's) as middleware,
            // not as endpoints: MapStaticAssets run from a build output adds a catch-all {**path:file} endpoint, and
            // beside it some API routes (those with constrained siblings such as /{id:guid}) stopped matching at all.
            app.UseStaticFiles();
            // Chinese unless the person chose English (the culture cookie) — for the console's requests only: the API's
            // answers never depend on a browser's language.
            app.UseWhen(context => !ConsoleRoutes.IsApi(context.Request.Path), console =>
            {
                console.UseRequestLocalization(localization =>
                {
                    localization.DefaultRequestCulture = new RequestCulture(Cultures[0]);
                    localization.SupportedCultures = Cultures;
                    localization.SupportedUICultures = Cultures;
                    localization.RequestCultureProviders = [new CookieRequestCultureProvider()];
                });
                console.UseMiddleware<ConsoleSecurityHeaders>();
            });
            app.UseConsoleSignIn();
            app.UseAntiforgery();
        }

        public void MapEndpoints(WebApplication app)
        {
            app.MapConsoleAccount();
            app.MapConsoleCulture();
            app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        }
    }
}
