using PracticeMesh.Identity;
using PracticeMesh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new IdentityModule());

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
