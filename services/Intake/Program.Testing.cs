// Lets the tests host the service with WebApplicationFactory<Program>.
public partial class Program;
