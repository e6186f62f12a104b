using CivicEdge.Protocols.MBus;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.MBus;

/// <summary>
/// An M-Bus master (EN 13757-2 link layer, EN 13757-3 §11 selection) over any byte channel: a serial port at 2400 8E1
/// through a level converter, or a TCP connection to a transparent M-Bus converter. Half duplex: one request at a time,
/// callers queue. Keeps the frame count bit per primary address, toggling it for each new REQ_UD2 and keeping it for a
/// repeat, so a slave resends a telegram whose answer was lost rather than moving on (EN 13757-2 §5.5).
/// </summary>
public sealed partial class MbusMaster : IAsyncDisposable
{
    /// <summary>Primary address a selected slave answers to (EN 13757-3 §11.5).</summary>
    public const byte SelectedAddress = 0xFD;

    /// <summary>Broadcast with answer: only for a bus with a single slave (EN 13757-2 §5.3).</summary>
    public const byte TestAddress = 0xFE;

    /// <summary>Broadcast without answer.</summary>
    public const byte BroadcastAddress = 0xFF;

    private readonly IByteChannel _channel;
    private readonly MbusMasterOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _request = new byte[MbusFramer.MaxFrameLength];
    private readonly byte[] _received = new byte[4 * MbusFramer.MaxFrameLength];
    private readonly bool[] _frameCountBit = new bool[256];
    private bool _disposed;

    /// <summary>A master on <paramref name="channel"/>, which it owns from now on and disposes.</summary>
    public MbusMaster(IByteChannel channel, MbusMasterOptions options, TimeProvider? timeProvider = null, ILogger<MbusMaster>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _channel = channel;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<MbusMaster>.Instance;
    }

    /// <summary>
    /// A master on the serial device <paramref name="path"/> at M-Bus's usual 2400 Bd, 8 data bits, even parity, one
    /// stop bit (EN 13757-2 §4: 11-bit characters), unless <paramref name="baudRate"/> says otherwise (300–38400).
    /// </summary>
    public static MbusMaster OverSerial(string path, MbusMasterOptions options, int baudRate = 2400, TimeProvider? timeProvider = null, ILogger<MbusMaster>? logger = null)
    {
        var line = new SerialChannelOptions { Path = path, BaudRate = baudRate, DataBits = 8, Parity = SerialParity.Even, StopBits = 1 };
        return new MbusMaster(new SerialChannel(line, timeProvider), options, timeProvider, logger);
    }

    /// <summary>A master speaking M-Bus frames over TCP to a transparent M-Bus converter at <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static MbusMaster OverTcp(string host, int port, MbusMasterOptions options, TimeSpan? connectTimeout = null, TimeProvider? timeProvider = null, ILogger<MbusMaster>? logger = null) =>
        new(new TcpClientChannel(host, port, connectTimeout ?? TimeSpan.FromSeconds(3), timeProvider), options, timeProvider, logger);

    public string Endpoint => _channel.Name;

    /// <summary>
    /// SND_NKE to <paramref name="address"/>: resets the slave's link layer, after which it expects FCB set on the
    /// next REQ_UD2 (EN 13757-2 §5.5). Returns Ok when the slave acknowledged with E5; broadcast gets no answer.
    /// </summary>
    public async ValueTask<MbusOutcome> SendNkeAsync(byte address, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _frameCountBit[address] = true;
            int length = MbusFramer.EncodeShort(_request, MbusFramer.SendNke, address);
            if (address == BroadcastAddress)
                return await SendOnlyAsync(length, cancellationToken).ConfigureAwait(false);
            var (outcome, _, _) = await ExchangeAsync(length, expectAcknowledge: true, cancellationToken).ConfigureAwait(false);
            return outcome;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Selects the slave matching <paramref name="address"/> (SND_UD to FD, CI 52); it then answers at address
    /// <see cref="SelectedAddress"/>. A garbled answer to a wildcard pattern means several slaves matched: <see cref="MbusOutcome.Collision"/>.
    /// </summary>
    public async ValueTask<MbusOutcome> SelectAsync(MbusSecondaryAddress address, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Span<byte> data = stackalloc byte[MbusSecondaryAddress.EncodedLength];
            address.Encode(data);
            int length = MbusFramer.EncodeLong(_request, MbusFramer.SendUserData, SelectedAddress, MbusSecondaryAddress.SelectionCi, data);
            _frameCountBit[SelectedAddress] = true;
            var (outcome, _, _) = await ExchangeAsync(length, expectAcknowledge: true, cancellationToken, retries: 0).ConfigureAwait(false);
            return outcome == MbusOutcome.Malformed ? MbusOutcome.Collision : outcome;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Reads the slave at <paramref name="address"/> with REQ_UD2, following "more records follow" (DIF 1F) with further
    /// REQ_UD2s, each with the frame count bit toggled, up to <see cref="MbusMasterOptions.MaxTelegrams"/>.
    /// </summary>
    public async ValueTask<MbusReadResult> ReadAsync(byte address, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var telegrams = new List<MbusTelegram>();
            while (true)
            {
                byte control = (byte)(MbusFramer.RequestUserData2 | (_frameCountBit[address] ? MbusFramer.FrameCountBit : 0));
                int length = MbusFramer.EncodeShort(_request, control, address);
                var (outcome, telegram, error) = await ExchangeAsync(length, expectAcknowledge: false, cancellationToken).ConfigureAwait(false);
                if (outcome != MbusOutcome.Ok)
                    return new MbusReadResult(outcome, telegrams, error);
                _frameCountBit[address] = !_frameCountBit[address];
                telegrams.Add(telegram!);
                if (!telegram!.MoreRecordsFollow)
                    return new MbusReadResult(MbusOutcome.Ok, telegrams, telegrams.Select(t => t.Error).FirstOrDefault(e => e is not null));
                if (telegrams.Count == _options.MaxTelegrams)
                    return new MbusReadResult(MbusOutcome.Ok, telegrams, $"stopped after {_options.MaxTelegrams} telegrams (MaxTelegrams); the slave still says more records follow");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Selects by secondary address, then reads the selected slave.</summary>
    public async ValueTask<MbusReadResult> ReadAsync(MbusSecondaryAddress address, CancellationToken cancellationToken)
    {
        var selected = await SelectAsync(address, cancellationToken).ConfigureAwait(false);
        if (selected != MbusOutcome.Ok)
            return new MbusReadResult(selected, [], $"selecting {address} gave {selected}");
        return await ReadAsync(SelectedAddress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Finds the slaves matching <paramref name="pattern"/> by the wildcard search of EN 13757-3 Annex (secondary
    /// search): select the pattern; no answer means no slave, an E5 means exactly one (read it for its address), a
    /// collision means several, and the search narrows the first wildcard digit 0–9.
    /// </summary>
    public async ValueTask<IReadOnlyList<MbusTelegramHeader>> ScanSecondaryAsync(MbusSecondaryAddress pattern, CancellationToken cancellationToken)
    {
        var found = new List<MbusTelegramHeader>();
        await SearchAsync(pattern, found, cancellationToken).ConfigureAwait(false);
        return found;
    }

    private async ValueTask SearchAsync(MbusSecondaryAddress pattern, List<MbusTelegramHeader> found, CancellationToken cancellationToken)
    {
        var outcome = await SelectAsync(pattern, cancellationToken).ConfigureAwait(false);
        if (outcome is MbusOutcome.Timeout or MbusOutcome.TransportFailure)
            return;
        if (outcome == MbusOutcome.Ok)
        {
            var read = await ReadAsync(SelectedAddress, cancellationToken).ConfigureAwait(false);
            if (read.Outcome == MbusOutcome.Ok && read.Telegrams[0].Header is { } header)
            {
                found.Add(header);
                return;
            }
        }
        int wildcard = pattern.Identification.IndexOf('F', StringComparison.Ordinal);
        if (wildcard < 0)
            return;
        for (int digit = 0; digit <= 9; digit++)
            await SearchAsync(pattern.WithDigit(wildcard, digit), found, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
                return;
            _disposed = true;
            _channel.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<MbusOutcome> SendOnlyAsync(int length, CancellationToken cancellationToken)
    {
        try
        {
            await _channel.OpenAsync(cancellationToken).ConfigureAwait(false);
            await _channel.SendAsync(_request.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            return MbusOutcome.Ok;
        }
        catch (IOException e)
        {
            LogLinkDown(_logger, Endpoint, e.Message);
            return MbusOutcome.TransportFailure;
        }
    }

    private async ValueTask<(MbusOutcome Outcome, MbusTelegram? Telegram, string? Error)> ExchangeAsync(
        int length, bool expectAcknowledge, CancellationToken cancellationToken, int? retries = null)
    {
        var outcome = (Outcome: MbusOutcome.Timeout, Telegram: (MbusTelegram?)null, Error: (string?)null);
        for (int attempt = 0; attempt <= (retries ?? _options.Retries); attempt++)
        {
            outcome = await AttemptAsync(length, expectAcknowledge, cancellationToken).ConfigureAwait(false);
            if (outcome.Outcome is MbusOutcome.Ok or MbusOutcome.TransportFailure)
                return outcome;
        }
        return outcome;
    }

    private async ValueTask<(MbusOutcome, MbusTelegram?, string?)> AttemptAsync(int length, bool expectAcknowledge, CancellationToken cancellationToken)
    {
        try
        {
            await _channel.OpenAsync(cancellationToken).ConfigureAwait(false);
            await DiscardStaleAsync(cancellationToken).ConfigureAwait(false);
            await _channel.SendAsync(_request.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            LogLinkDown(_logger, Endpoint, e.Message);
            return (MbusOutcome.TransportFailure, null, e.Message);
        }

        using var timeout = new CancellationTokenSource(_options.ResponseTimeout, _timeProvider);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        int count = 0;
        try
        {
            while (true)
            {
                int read = await _channel.ReceiveAsync(_received.AsMemory(count), deadline.Token).ConfigureAwait(false);
                if (read == 0)
                    return (MbusOutcome.TransportFailure, null, $"{Endpoint} closed the link");
                count += read;
                var frame = MbusFramer.Decode(_received.AsSpan(0, count));
                if (frame.Status == MbusDecodeStatus.NeedMoreData && count < _received.Length)
                    continue;
                return Interpret(frame, expectAcknowledge, count);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (count > 0)
            {
                var error = $"expected a whole frame within {_options.ResponseTimeout.TotalMilliseconds} ms, found {count} bytes: {Convert.ToHexString(_received, 0, count)}";
                LogDamaged(_logger, Endpoint, error);
                return (MbusOutcome.Malformed, null, error);
            }
            LogTimeout(_logger, Endpoint, _options.ResponseTimeout.TotalMilliseconds);
            return (MbusOutcome.Timeout, null, $"no answer within {_options.ResponseTimeout.TotalMilliseconds} ms");
        }
        catch (IOException e)
        {
            LogLinkDown(_logger, Endpoint, e.Message);
            return (MbusOutcome.TransportFailure, null, e.Message);
        }
    }

    private (MbusOutcome, MbusTelegram?, string?) Interpret(MbusFrame frame, bool expectAcknowledge, int count)
    {
        if (frame.Status != MbusDecodeStatus.Complete)
        {
            var error = frame.Error ?? "expected a frame, found more bytes than any frame holds";
            LogDamaged(_logger, Endpoint, $"{error} in {Convert.ToHexString(_received, 0, count)}");
            return (MbusOutcome.Malformed, null, error);
        }
        if (expectAcknowledge)
        {
            return frame.Type == MbusFrameType.SingleCharacter && count == 1
                ? (MbusOutcome.Ok, null, null)
                : (MbusOutcome.Malformed, null, $"expected the acknowledgement E5, found {Convert.ToHexString(_received, 0, count)}");
        }
        if (frame.Type != MbusFrameType.Long && frame.Type != MbusFrameType.Control)
            return (MbusOutcome.Malformed, null, $"expected an RSP_UD long frame, found a {frame.Type} frame");
        var telegram = MbusApplicationDecoder.Decode(frame.ApplicationData(_received.AsSpan(0, count)));
        return (MbusOutcome.Ok, telegram, telegram.Error);
    }

    private async ValueTask DiscardStaleAsync(CancellationToken cancellationToken)
    {
        // A late answer to an earlier request must not be taken for the answer to this one.
        while (_channel.Available > 0)
            await _channel.ReceiveAsync(_received, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "M-Bus line {Endpoint} down: {Reason}")]
    private static partial void LogLinkDown(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No M-Bus answer on {Endpoint} within {TimeoutMs} ms")]
    private static partial void LogTimeout(ILogger logger, string endpoint, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Damaged M-Bus answer on {Endpoint}: {Reason}")]
    private static partial void LogDamaged(ILogger logger, string endpoint, string reason);
}
