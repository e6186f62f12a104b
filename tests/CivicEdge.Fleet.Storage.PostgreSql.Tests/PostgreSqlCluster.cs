using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CivicEdge.Fleet.Storage.PostgreSql.Tests;

/// <summary>
/// A throwaway PostgreSQL server: a fresh data directory under the temporary folder, a free loopback port, trust
/// authentication, no Unix socket; stopped and deleted on disposal. As root, initdb and pg_ctl run as the
/// <c>postgres</c> user through runuser, since initdb refuses root. A server left behind by a test run that was killed is
/// stopped and deleted by the next one (each directory records the process that owns it).
/// </summary>
internal sealed class PostgreSqlCluster : IAsyncDisposable
{
    private const string DirectoryPrefix = "civicedge-pg-";
    private const string OwnerFile = "owner";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private readonly string _bin;
    private readonly string _directory;

    private PostgreSqlCluster(string bin, string directory, int port)
    {
        _bin = bin;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>A connection string for <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        Timeout = 30,
    }.ConnectionString;

    /// <summary>Creates and starts a server.</summary>
    /// <param name="durable">
    /// True to keep PostgreSQL's defaults (every commit flushed to disk), as a benchmark must; false turns fsync off,
    /// which tests do not need and which makes them fast.
    /// </param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<PostgreSqlCluster> StartAsync(bool durable, CancellationToken cancellationToken)
    {
        var bin = FindBinaries();
        await SweepAbandonedAsync(bin, cancellationToken);

        // The postgres user must own the data directory: let it create the directory itself, in the shared /tmp.
        var directory = (await RunAsync(AsPostgres("mktemp", "-d", Path.Combine(Path.GetTempPath(), DirectoryPrefix + "XXXXXXXX")), cancellationToken)).Trim();
        var port = FreePort();
        var cluster = new PostgreSqlCluster(bin, directory, port);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
            await RunAsync(AsPostgres(Path.Combine(bin, "initdb"), "-D", cluster.DataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"), cancellationToken);

            var settings = new List<string>
            {
                $"port = {port}",
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = ''",
                "max_connections = 200",
            };
            if (!durable)
                settings.AddRange(["fsync = off", "synchronous_commit = off", "full_page_writes = off"]);
            await File.AppendAllLinesAsync(Path.Combine(cluster.DataDirectory, "postgresql.conf"), settings, cancellationToken);

            await RunAsync(AsPostgres(Path.Combine(bin, "pg_ctl"), "-D", cluster.DataDirectory, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "start"), cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        await ExecuteAsync("postgres", $"create database {name}", cancellationToken);
        return name;
    }

    /// <summary>Drops a database, ending the sessions still connected to it.</summary>
    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken) =>
        ExecuteAsync("postgres", $"drop database if exists {name} with (force)", cancellationToken);

    public async Task ExecuteAsync(string database, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_bin, _directory, CancellationToken.None);
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task StopAsync(string bin, string directory, CancellationToken cancellationToken)
    {
        var data = Path.Combine(directory, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
            await RunAsync(AsPostgres(Path.Combine(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"), cancellationToken);
    }

    /// <summary>Stops and deletes the servers of test runs whose process is gone.</summary>
    private static async Task SweepAbandonedAsync(string bin, CancellationToken cancellationToken)
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            var owner = Path.Combine(directory, OwnerFile);
            if (!File.Exists(owner)
                || !int.TryParse(await File.ReadAllTextAsync(owner, cancellationToken), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || Directory.Exists($"/proc/{pid}"))
            {
                continue;
            }

            try
            {
                await StopAsync(bin, directory, cancellationToken);
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception exception) when (exception is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"Could not remove the abandoned PostgreSQL server in {directory}: {exception.Message}");
            }
        }
    }

    /// <summary>The server binaries of the newest PostgreSQL installed the Debian way, or on PATH.</summary>
    private static string FindBinaries()
    {
        var debian = new DirectoryInfo("/usr/lib/postgresql");
        if (debian.Exists)
        {
            var newest = debian.EnumerateDirectories()
                .Where(version => File.Exists(Path.Combine(version.FullName, "bin", "initdb")))
                .OrderByDescending(version => int.TryParse(version.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0)
                .FirstOrDefault();
            if (newest is not null)
                return Path.Combine(newest.FullName, "bin");
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl")))
                return directory;
        }

        throw new InvalidOperationException(
            "PostgreSQL's server programs (initdb, pg_ctl) are not installed: expected them in /usr/lib/postgresql/<version>/bin or on PATH. " +
            "Install the Debian package postgresql (./build.sh --target=Test does).");
    }

    /// <summary>As root, the command line that runs a program as the postgres user; otherwise the program itself.</summary>
    private static string[] AsPostgres(params string[] command) =>
        Environment.UserName == "root" ? ["runuser", "-u", "postgres", "--", .. command] : command;

    private static async Task<string> RunAsync(string[] command, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,

            // initdb and pg_ctl run as postgres, which cannot enter a working directory only root may.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in command.Skip(1))
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {command[0]}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{string.Join(' ', command)} exited with {process.ExitCode}: {await errors}{await output}");
        return await output;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
