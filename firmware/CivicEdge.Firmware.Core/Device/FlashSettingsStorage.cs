using System;
using System.IO;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Core.Device;

/// <summary>
/// Settings slots as files on the device's internal flash file system (drive <c>I:</c> on an ESP32, SPIFFS or
/// LittleFS under nanoFramework's System.IO.FileSystem). The file system does not make a write atomic; the settings
/// store and the counter journal above it keep two copies or a ring with CRCs for that reason.
/// </summary>
public sealed class FlashSettingsStorage : ISettingsStorage
{
    private readonly string _directory;

    /// <param name="directory">Where the slots live, e.g. <c>I:\civicedge</c>.</param>
    public FlashSettingsStorage(string directory)
    {
        if (directory == null || directory.Length == 0)
        {
            throw new ArgumentException("The settings directory must be named, e.g. I:\\civicedge.");
        }

        _directory = directory;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }

    public byte[] Read(string slot)
    {
        string path = PathOf(slot);
        if (!File.Exists(path))
        {
            return null;
        }

        using (FileStream file = new FileStream(path, FileMode.Open, FileAccess.Read))
        {
            byte[] data = new byte[(int)file.Length];
            int read = 0;
            while (read < data.Length)
            {
                int got = file.Read(data, read, data.Length - read);
                if (got <= 0)
                {
                    break;
                }

                read += got;
            }

            if (read == data.Length)
            {
                return data;
            }

            byte[] kept = new byte[read];
            Array.Copy(data, kept, read);
            return kept;
        }
    }

    public void Write(string slot, byte[] data)
    {
        using (FileStream file = new FileStream(PathOf(slot), FileMode.Create, FileAccess.Write))
        {
            file.Write(data, 0, data.Length);
            file.Flush();
        }
    }

    public void Erase(string slot)
    {
        string path = PathOf(slot);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private string PathOf(string slot) => _directory + "\\" + slot + ".bin";
}
