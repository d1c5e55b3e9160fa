using Referrals.Intake;
using Referrals.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIntake();

var app = builder.Build();
app.UseServiceDefaults();
app.MapIntakeEndpoints();
app.Run();
