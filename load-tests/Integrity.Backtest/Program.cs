using Integrity.Backtest;

return Cli.Run(args, Console.Out, Console.Error);
