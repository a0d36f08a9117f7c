using System.Runtime.CompilerServices;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.Activities;
using PracticeMesh.ServiceDefaults.Dapr;

var builder = WebApplication.CreateBuilder(args);
if (builder.Configuration.GetValue<bool>(DaprOptions.EnabledKey))
{
    // First: secrets may hold the connection strings and keys the defaults read as they register.
    ReadDaprSecrets(builder);
}
builder.AddServiceDefaults(new ActivitiesModule());

var app = builder.Build();
app.MapServiceDefaults();
app.Run();

// Compiled only when called: with Dapr off no Dapr assembly is loaded.
[MethodImpl(MethodImplOptions.NoInlining)]
static void ReadDaprSecrets(WebApplicationBuilder builder) => builder.AddDaprSecretStore();
