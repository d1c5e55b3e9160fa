using Referrals.GpRecords;
using Referrals.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGpRecords();

var app = builder.Build();
app.UseServiceDefaults();
app.MapGpRecordsEndpoints();
app.Run();
