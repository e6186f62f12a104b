using CivicEdge.Firmware.Core.Modbus;

namespace CivicEdge.Firmware.Host.Tests.Support;

/// <summary>
/// Serves a firmware slave on a thread of its own, as the device's serial thread does; stopping joins the thread and
/// reports whatever it threw.
/// </summary>
internal sealed class SlaveThread : IDisposable
{
    private readonly ModbusRtuSlave _slave;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private Exception? _failure;

    public SlaveThread(ModbusRtuSlave slave)
    {
        _slave = slave;
        _thread = new Thread(Serve) { IsBackground = true, Name = "firmware slave" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stopping = true;
        if (!_thread.Join(TimeSpan.FromSeconds(5)))
            Assert.Fail("The slave thread did not stop within 5 s.");
        if (_failure is not null)
            Assert.Fail("The slave thread failed: " + _failure);
    }

    private void Serve()
    {
        try
        {
            while (!_stopping)
                _slave.Poll(20);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            _failure = e;
        }
    }
}
