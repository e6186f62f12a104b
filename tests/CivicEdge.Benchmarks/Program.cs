using BenchmarkDotNet.Running;

// ./build.sh --target=Bench runs every benchmark; `dotnet run -c Release -- --filter *Modbus*` picks some.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
