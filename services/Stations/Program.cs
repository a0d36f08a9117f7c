using PracticeMesh.ServiceDefaults;
using PracticeMesh.Stations;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new StationsModule());

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
