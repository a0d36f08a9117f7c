using PracticeMesh.ServiceDefaults;
using PracticeMesh.Volunteers;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new VolunteersModule());

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
