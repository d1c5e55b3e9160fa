using Referrals.ServiceDefaults;
using Referrals.Triage;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddTriage();

var app = builder.Build();
app.UseServiceDefaults();
app.MapTriageEndpoints();
app.Run();
