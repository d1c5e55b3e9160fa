using Referrals.Deploy;

return await Cli.RunAsync(args);
