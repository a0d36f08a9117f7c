using PracticeMesh.Gateway;
using PracticeMesh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

// No modules: the gateway owns no database and no bus, only telemetry, health, problem details.
builder.AddServiceDefaults();
// Routes and clusters live in configuration so destinations can be swapped per environment
// (ReverseProxy__Clusters__<name>__Destinations__primary__Address).
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    // Keep-alive connections stick to one pod behind a Kubernetes Service; recycling them spreads load after scale-out.
    .ConfigureHttpClient((_, handler) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(2));

var app = builder.Build();

// MapServiceDefaults registers the correlation-id middleware ahead of every endpoint, so the id it
// creates or keeps is on the request YARP forwards and on the response the client gets.
app.MapServiceDefaults();
app.MapReverseProxy();

app.Run();
