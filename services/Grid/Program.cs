using System.Runtime.CompilerServices;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.Grid;
using PracticeMesh.ServiceDefaults.Dapr;

var builder = WebApplication.CreateBuilder(args);
var dapr = builder.Configuration.GetValue<bool>(DaprOptions.EnabledKey);
if (dapr)
{
    // First: secrets may hold the connection strings and keys the defaults read as they register.
    ReadDaprSecrets(builder);
}
builder.AddServiceDefaults(new GridModule());

var app = builder.Build();
app.MapServiceDefaults();
if (dapr)
{
    // CloudEvents unwrapped and /dapr/subscribe for the module's topic endpoint (partners' case reports).
    SubscribeThroughDapr(app);
}
app.Run();

// Compiled only when called: with Dapr off no Dapr assembly is loaded.
[MethodImpl(MethodImplOptions.NoInlining)]
static void ReadDaprSecrets(WebApplicationBuilder builder) => builder.AddDaprSecretStore();

[MethodImpl(MethodImplOptions.NoInlining)]
static void SubscribeThroughDapr(WebApplication app) => app.UseDaprSubscriptions();
