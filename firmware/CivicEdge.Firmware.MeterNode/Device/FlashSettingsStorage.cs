using System.IO;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.MeterNode.Device;

/// <summary>
/// Settings as small files on the ESP32's internal flash file system (drive I:, SPIFFS or LittleFS, which spread their
/// own writes over the partition). One file per slot; the journal above keeps its records in several slots.
/// </summary>
public sealed class FlashSettingsStorage : ISettingsStorage
{
    private const string Drive = "I:\\";

    public byte[] Read(string slot)
    {
        string path = Drive + slot;
        if (!File.Exists(path))
        {
            return null;
        }

        using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read))
        {
            byte[] data = new byte[(int)stream.Length];
            int read = 0;
            while (read < data.Length)
            {
                int count = stream.Read(data, read, data.Length - read);
                if (count <= 0)
                {
                    break;
                }

                read += count;
            }

            return data;
        }
    }

    public void Write(string slot, byte[] data)
    {
        using (FileStream stream = new FileStream(Drive + slot, FileMode.Create, FileAccess.Write))
        {
            stream.Write(data, 0, data.Length);
            stream.Flush();
        }
    }

    public void Erase(string slot)
    {
        string path = Drive + slot;
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
