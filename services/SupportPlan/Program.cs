using Referrals.ServiceDefaults;
using Referrals.SupportPlan;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSupportPlan();

var app = builder.Build();
app.UseServiceDefaults();
app.MapSupportPlanEndpoints();
app.Run();
