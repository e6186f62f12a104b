using System.IO;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Pole.Device;

/// <summary>
/// Settings slots as files on the ESP32's internal flash file system (drive I:, SPIFFS/LittleFS underneath, which
/// levels wear across the partition). A write can still be cut by a power loss: the stores above keep two copies.
/// </summary>
public sealed class FlashSettingsStorage : ISettingsStorage
{
    private const string Root = "I:\\";

    public byte[] Read(string slot)
    {
        var path = Root + slot;
        if (!File.Exists(path))
        {
            return null;
        }

        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read))
        {
            var data = new byte[(int)stream.Length];
            var read = 0;
            while (read < data.Length)
            {
                var n = stream.Read(data, read, data.Length - read);
                if (n <= 0)
                {
                    break;
                }

                read += n;
            }

            if (read == data.Length)
            {
                return data;
            }

            // A file shorter than its length says is what a cut write leaves: hand over what is there, the CRC decides.
            var kept = new byte[read];
            System.Array.Copy(data, kept, read);
            return kept;
        }
    }

    public void Write(string slot, byte[] data)
    {
        using (var stream = new FileStream(Root + slot, FileMode.Create, FileAccess.Write))
        {
            stream.Write(data, 0, data.Length);
            stream.Flush();
        }
    }

    public void Erase(string slot)
    {
        var path = Root + slot;
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
