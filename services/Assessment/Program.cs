using PracticeMesh.ServiceDefaults;
using PracticeMesh.Assessment;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new AssessmentModule());

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
