using Integrity.Host.Apis;
using Integrity.Host.Hosting;

var builder = WebApplication.CreateBuilder(args);
await using var embeddedStorage = await EmbeddedStorage.StartIfUnconfiguredAsync(builder.Configuration);
builder.AddIntegrityEngine();
builder.AddIntegritySecurity();
builder.AddIntegrityIngestion();
builder.AddIntegrityQueryApi();
builder.AddIntegrityOpenApi();
builder.AddIntegrityTelemetry();
builder.AddIntegrityHealth();
builder.AddIntegrityOrleansDashboard();

var app = builder.Build();
app.UseIntegrityDashboard();
app.UseIntegrityTelemetry();
app.UseIntegritySecurity();
app.MapHealthApi();
app.MapIntegrityHealth();
app.MapIngestApi();
app.MapQueryApi();
app.MapIntegrityOpenApi();
app.MapAdminApi();
app.MapIntegrityTelemetry();
app.MapIntegrityOrleansDashboard();
await app.RunAsync();

/// <summary>Entry point, visible to the test host factory.</summary>
public partial class Program;
