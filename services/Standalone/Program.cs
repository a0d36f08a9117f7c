using PracticeMesh.Activities;
using PracticeMesh.Assessment;
using PracticeMesh.Grid;
using PracticeMesh.Identity;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.Standalone;
using PracticeMesh.Stations;
using PracticeMesh.Volunteers;
using PracticeMesh.WebConsole;

// Every service in one process: a SQLite file per service, the in-memory bus, the in-process cache.
var builder = WebApplication.CreateBuilder(args);
// Its own token service: the issuer is where it listens unless Auth:Issuer says otherwise.
StandaloneIssuer.DeriveFromListeningAddress(builder.Configuration);
// Identity first: its schema is made first, so seeding the demo accounts overlaps the other services' schemas.
builder.AddServiceDefaults(new IdentityModule(), new StationsModule(), new VolunteersModule(), new ActivitiesModule(), new GridModule(), new AssessmentModule());
builder.AddDemoCounty();
// The web console at /, signing people in against this host's own identity and calling this host's API.
builder.AddWebConsole();

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
