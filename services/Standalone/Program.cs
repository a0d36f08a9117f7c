using PracticeMesh.Activities;
using PracticeMesh.Assessment;
using PracticeMesh.Grid;
using PracticeMesh.Identity;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.Standalone;
using PracticeMesh.Stations;
using PracticeMesh.Volunteers;

// Every service in one process: a SQLite file per service, the in-memory bus, the in-process cache.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new StationsModule(), new VolunteersModule(), new ActivitiesModule(), new GridModule(), new AssessmentModule(), new IdentityModule());
builder.AddDemoCounty();

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
