using BenchmarkDotNet.Running;

// The domain's apply path, per event type and for a marketplace mix, with allocations per event (MemoryDiagnoser).
// Run in Release under the machine lock, e.g.:
//   /work/bin/locked dotnet run -c Release --project load-tests/Integrity.Domain.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
