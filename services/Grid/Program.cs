using PracticeMesh.ServiceDefaults;
using PracticeMesh.Grid;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(new GridModule());

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
