/// <summary>Exposes the entry point to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
