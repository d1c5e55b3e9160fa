#pragma warning disable CA1050 // the top-level Program is in the global namespace; tests host it with WebApplicationFactory<Program>
public partial class Program;
#pragma warning restore CA1050
