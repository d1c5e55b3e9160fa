using Referrals.ServiceDefaults;
using Referrals.WebApp;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddWebApp();

var app = builder.Build();
app.UseWebApp();
app.Run();
