using PracticeMesh.ServiceDefaults;
using PracticeMesh.WebConsole;

// The console on its own: no database, no bus. It signs people in against Console:Authority (the gateway's public
// address) and calls the API at Console:ApiBaseAddress (the gateway inside the cluster) with their tokens; a session's
// tokens are kept in Redis (ConnectionStrings:redis) so any replica serves any request.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddWebConsole();

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
