using System.Threading.Channels;

namespace CivicEdge.Fleet.Server.Commands;

/// <summary>
/// The queue between the fleet's MQTT client and the command dispatcher, so that the client's message handler never
/// waits on the store. Unbounded: a signal is small and the dispatcher drains them as fast as they come.
/// </summary>
internal sealed class CommandSignals
{
    private readonly Channel<CommandSignal> _channel = Channel.CreateUnbounded<CommandSignal>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<CommandSignal> Reader => _channel.Reader;

    public void Post(CommandSignal signal) => _channel.Writer.TryWrite(signal);
}
