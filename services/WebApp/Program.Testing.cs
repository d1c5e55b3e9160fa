// Exposes Program to test hosts.
public partial class Program;
