using CivicEdge.Fleet.Core;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// A background job that runs on one fleet node at a time: every node tries to lead it, the one that leads runs
/// <see cref="LeadAsync"/> until it stops or loses the leadership, and the others try again every
/// <see cref="RetryInterval"/>, so a standby takes over within that time when the leader dies.
/// </summary>
internal abstract partial class LeaderService(ILeaderElection election, TimeProvider timeProvider, ILogger logger) : BackgroundService
{
    /// <summary>How long a node that does not lead waits before trying again, and a failed leader before leading again.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The job's name, the same on every node.</summary>
    protected abstract string Job { get; }

    protected TimeProvider TimeProvider => timeProvider;

    /// <summary>Whether this node runs the job at all (a job with nothing to do stays out of the election).</summary>
    protected virtual bool IsEnabled => true;

    /// <summary>Runs the job while this node leads; <paramref name="leading"/> is cancelled at shutdown or when the leadership is lost.</summary>
    protected abstract Task LeadAsync(CancellationToken leading);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!IsEnabled)
            return;

        while (!stoppingToken.IsCancellationRequested)
        {
            ILeadership? leadership = null;
            try
            {
                leadership = await election.TryLeadAsync(Job, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogElectionFailed(logger, Job, exception);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (leadership is not null)
            {
                await using (leadership.ConfigureAwait(false))
                    await RunAsync(leadership, stoppingToken).ConfigureAwait(false);
            }

            try
            {
                await Task.Delay(RetryInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunAsync(ILeadership leadership, CancellationToken stoppingToken)
    {
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leadership.Lost);
        try
        {
            await LeadAsync(leading.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (leading.IsCancellationRequested)
        {
            if (leadership.Lost.IsCancellationRequested)
                LogLost(logger, Job);
        }
        catch (Exception exception)
        {
            // The leadership is given up so that another node, perhaps in better health, can take the job.
            LogJobFailed(logger, Job, RetryInterval, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not take part in the election of {Job}; trying again later")]
    private static partial void LogElectionFailed(ILogger logger, string job, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the leadership of {Job}; another node may run it now")]
    private static partial void LogLost(ILogger logger, string job);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Job} failed; leadership given up, next attempt in {RetryInterval}")]
    private static partial void LogJobFailed(ILogger logger, string job, TimeSpan retryInterval, Exception exception);
}
