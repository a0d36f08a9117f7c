using PracticeMesh.ServiceDefaults;
using PracticeMesh.Activities;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new ActivitiesModule());

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
