using System;
using System.Collections;
using System.Text;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Core.Settings;

/// <summary>
/// Typed settings (int, long, double, bool, string, bytes) by key, kept in <see cref="ISettingsStorage"/> as two
/// copies, <c>name.a</c> and <c>name.b</c>, each with a generation number and a CRC-32. A save overwrites the older
/// copy only, so a power loss at any byte of a save leaves the newer copy intact: the next boot reads either the
/// previous settings or the new ones, never a mixture. Saving writes nothing unless a value changed, because flash
/// wears out. Counters that change often belong in a <see cref="CounterJournal"/>, not here.
/// </summary>
/// <remarks>
/// Image, little-endian: magic "CES1" (4), generation (4), length of what follows up to the CRC (4), entry count (2),
/// entries, CRC-32 of everything before it (4). An entry: key length (1), key in UTF-8, kind (1), value: Int32 4 bytes,
/// Int64 8, Double 8 (IEEE 754 bits), Boolean 1, String and Bytes a length (2) and the bytes.
/// </remarks>
public sealed class SettingsStore
{
    /// <summary>Longest key in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 255;

    /// <summary>Longest string or byte value.</summary>
    public const int MaxValueBytes = 65535;

    private const int HeaderLength = 12;
    private const int CrcLength = 4;

    private readonly ISettingsStorage _storage;
    private readonly string _name;
    private readonly string[] _slots;
    private readonly Hashtable _entries = new Hashtable();
    private int _currentCopy = -1;

    /// <param name="storage">Where the two copies live.</param>
    /// <param name="name">The prefix of the two slots, e.g. <c>settings</c>.</param>
    public SettingsStore(ISettingsStorage storage, string name)
    {
        if (storage == null)
        {
            throw new ArgumentNullException(nameof(storage));
        }

        if (name == null || name.Length == 0)
        {
            throw new ArgumentException("A settings store needs a name for its storage slots.");
        }

        _storage = storage;
        _name = name;
        _slots = new string[] { name + ".a", name + ".b" };
    }

    /// <summary>The generation of the settings in memory: 0 before the first save, one more with each save.</summary>
    public uint Generation { get; private set; }

    /// <summary>How many of the two stored copies were valid at <see cref="Load"/>.</summary>
    public int ValidCopies { get; private set; }

    /// <summary>
    /// Why a stored copy was set aside at <see cref="Load"/> (torn by a power loss, corrupted), or null when both were
    /// valid or absent. The settings themselves come from the other copy.
    /// </summary>
    public string LoadProblem { get; private set; }

    /// <summary>Whether a value changed since the last load or save.</summary>
    public bool IsDirty { get; private set; }

    /// <summary>How many saves reached storage since this instance was made.</summary>
    public int Saves { get; private set; }

    /// <summary>How many settings are held.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// Reads both copies and keeps the newer valid one; with none valid the store starts empty. Returns whether
    /// settings were found.
    /// </summary>
    public bool Load()
    {
        _entries.Clear();
        IsDirty = false;
        ValidCopies = 0;
        LoadProblem = null;
        _currentCopy = -1;
        Generation = 0;

        Hashtable[] decoded = new Hashtable[2];
        uint[] generations = new uint[2];
        for (int copy = 0; copy < 2; copy++)
        {
            byte[] image = _storage.Read(_slots[copy]);
            if (image == null)
            {
                continue;
            }

            Hashtable entries = new Hashtable();
            string problem = Decode(image, entries, out generations[copy]);
            if (problem != null)
            {
                LoadProblem = "Settings copy '" + _slots[copy] + "' set aside: " + problem;
                continue;
            }

            decoded[copy] = entries;
            ValidCopies++;
        }

        int chosen = -1;
        if (decoded[0] != null && decoded[1] != null)
        {
            chosen = LittleEndian.IsLater(generations[1], generations[0]) ? 1 : 0;
        }
        else if (decoded[0] != null)
        {
            chosen = 0;
        }
        else if (decoded[1] != null)
        {
            chosen = 1;
        }

        if (chosen < 0)
        {
            return false;
        }

        _currentCopy = chosen;
        Generation = generations[chosen];
        foreach (DictionaryEntry entry in decoded[chosen])
        {
            _entries[entry.Key] = entry.Value;
        }

        return true;
    }

    /// <summary>
    /// Writes the settings over the older copy if anything changed since the last load or save; returns whether it
    /// wrote. A power loss during the write leaves the other copy, and so the previous settings, intact.
    /// </summary>
    public bool Save()
    {
        if (!IsDirty)
        {
            return false;
        }

        uint generation = Generation + 1;
        byte[] image = Encode(generation);
        int target = _currentCopy == 0 ? 1 : 0;
        _storage.Write(_slots[target], image);
        _currentCopy = target;
        Generation = generation;
        IsDirty = false;
        Saves++;
        return true;
    }

    /// <summary>Whether a setting is stored under <paramref name="key"/>.</summary>
    public bool Contains(string key) => _entries.Contains(CheckKey(key));

    /// <summary>The kind of the setting under <paramref name="key"/>.</summary>
    /// <exception cref="SettingsException">There is none.</exception>
    public SettingKind KindOf(string key) => Find(key, true).Kind;

    /// <summary>Removes the setting under <paramref name="key"/>; returns whether there was one.</summary>
    public bool Remove(string key)
    {
        if (!_entries.Contains(CheckKey(key)))
        {
            return false;
        }

        _entries.Remove(key);
        IsDirty = true;
        return true;
    }

    /// <exception cref="SettingsException">The setting is missing, or is not an Int32.</exception>
    public int GetInt32(string key) => (int)Typed(key, SettingKind.Int32, true).Integer;

    /// <exception cref="SettingsException">The setting is not an Int32.</exception>
    public int GetInt32(string key, int fallback)
    {
        SettingEntry entry = Typed(key, SettingKind.Int32, false);
        return entry == null ? fallback : (int)entry.Integer;
    }

    /// <exception cref="SettingsException">The setting is missing, or is not an Int64.</exception>
    public long GetInt64(string key) => Typed(key, SettingKind.Int64, true).Integer;

    /// <exception cref="SettingsException">The setting is not an Int64.</exception>
    public long GetInt64(string key, long fallback)
    {
        SettingEntry entry = Typed(key, SettingKind.Int64, false);
        return entry == null ? fallback : entry.Integer;
    }

    /// <exception cref="SettingsException">The setting is missing, or is not a Double.</exception>
    public double GetDouble(string key) => Typed(key, SettingKind.Double, true).Real;

    /// <exception cref="SettingsException">The setting is not a Double.</exception>
    public double GetDouble(string key, double fallback)
    {
        SettingEntry entry = Typed(key, SettingKind.Double, false);
        return entry == null ? fallback : entry.Real;
    }

    /// <exception cref="SettingsException">The setting is missing, or is not a Boolean.</exception>
    public bool GetBoolean(string key) => Typed(key, SettingKind.Boolean, true).Integer != 0;

    /// <exception cref="SettingsException">The setting is not a Boolean.</exception>
    public bool GetBoolean(string key, bool fallback)
    {
        SettingEntry entry = Typed(key, SettingKind.Boolean, false);
        return entry == null ? fallback : entry.Integer != 0;
    }

    /// <exception cref="SettingsException">The setting is missing, or is not a String.</exception>
    public string GetString(string key) => Typed(key, SettingKind.String, true).Text;

    /// <exception cref="SettingsException">The setting is not a String.</exception>
    public string GetString(string key, string fallback)
    {
        SettingEntry entry = Typed(key, SettingKind.String, false);
        return entry == null ? fallback : entry.Text;
    }

    /// <summary>A copy of the bytes stored under <paramref name="key"/>.</summary>
    /// <exception cref="SettingsException">The setting is missing, or is not Bytes.</exception>
    public byte[] GetBytes(string key) => CopyOf(Typed(key, SettingKind.Bytes, true).Bytes);

    /// <summary>A copy of the bytes stored under <paramref name="key"/>, or <paramref name="fallback"/>.</summary>
    /// <exception cref="SettingsException">The setting is not Bytes.</exception>
    public byte[] GetBytes(string key, byte[] fallback)
    {
        SettingEntry entry = Typed(key, SettingKind.Bytes, false);
        return entry == null ? fallback : CopyOf(entry.Bytes);
    }

    public void SetInt32(string key, int value) => SetInteger(key, SettingKind.Int32, value);

    public void SetInt64(string key, long value) => SetInteger(key, SettingKind.Int64, value);

    public void SetBoolean(string key, bool value) => SetInteger(key, SettingKind.Boolean, value ? 1 : 0);

    public void SetDouble(string key, double value)
    {
        SettingEntry entry = Settable(key, SettingKind.Double);
        if (_entries.Contains(key) && BitConverter.DoubleToInt64Bits(entry.Real) == BitConverter.DoubleToInt64Bits(value))
        {
            return;
        }

        entry.Real = value;
        Store(key, entry);
    }

    /// <exception cref="SettingsException">The value is null or longer than <see cref="MaxValueBytes"/> in UTF-8.</exception>
    public void SetString(string key, string value)
    {
        if (value == null)
        {
            throw new SettingsException("Setting '" + key + "': a string value must not be null (remove the setting instead).");
        }

        if (Encoding.UTF8.GetBytes(value).Length > MaxValueBytes)
        {
            throw new SettingsException("Setting '" + key + "': a string value may hold at most " + MaxValueBytes + " bytes in UTF-8.");
        }

        SettingEntry entry = Settable(key, SettingKind.String);
        if (_entries.Contains(key) && entry.Text == value)
        {
            return;
        }

        entry.Text = value;
        Store(key, entry);
    }

    /// <summary>Stores a copy of <paramref name="value"/>.</summary>
    /// <exception cref="SettingsException">The value is null or longer than <see cref="MaxValueBytes"/>.</exception>
    public void SetBytes(string key, byte[] value)
    {
        if (value == null)
        {
            throw new SettingsException("Setting '" + key + "': a byte value must not be null (remove the setting instead).");
        }

        if (value.Length > MaxValueBytes)
        {
            throw new SettingsException("Setting '" + key + "': a byte value may hold at most " + MaxValueBytes + " bytes; found " + value.Length + ".");
        }

        SettingEntry entry = Settable(key, SettingKind.Bytes);
        if (_entries.Contains(key) && SameBytes(entry.Bytes, value))
        {
            return;
        }

        entry.Bytes = CopyOf(value);
        Store(key, entry);
    }

    private void SetInteger(string key, SettingKind kind, long value)
    {
        SettingEntry entry = Settable(key, kind);
        if (_entries.Contains(key) && entry.Integer == value)
        {
            return;
        }

        entry.Integer = value;
        Store(key, entry);
    }

    private void Store(string key, SettingEntry entry)
    {
        _entries[key] = entry;
        IsDirty = true;
    }

    /// <summary>The entry to set: the existing one when the kind matches, a new one when there is none.</summary>
    private SettingEntry Settable(string key, SettingKind kind)
    {
        SettingEntry entry = Find(key, false);
        if (entry == null)
        {
            return new SettingEntry(kind);
        }

        if (entry.Kind != kind)
        {
            throw new SettingsException("Setting '" + key + "' holds " + KindName(entry.Kind) + "; it cannot be set to " + KindName(kind) + " (remove it first to change its type).");
        }

        return entry;
    }

    private SettingEntry Typed(string key, SettingKind kind, bool required)
    {
        SettingEntry entry = Find(key, required);
        if (entry != null && entry.Kind != kind)
        {
            throw new SettingsException("Setting '" + key + "' holds " + KindName(entry.Kind) + ", not " + KindName(kind) + ".");
        }

        return entry;
    }

    private SettingEntry Find(string key, bool required)
    {
        SettingEntry entry = (SettingEntry)_entries[CheckKey(key)];
        if (entry == null && required)
        {
            throw new SettingsException("Setting '" + key + "' is missing from '" + _name + "' and has no default.");
        }

        return entry;
    }

    private static string CheckKey(string key)
    {
        if (key == null || key.Length == 0)
        {
            throw new SettingsException("A setting needs a non-empty key.");
        }

        if (Encoding.UTF8.GetBytes(key).Length > MaxKeyBytes)
        {
            throw new SettingsException("Setting key '" + key + "' is longer than " + MaxKeyBytes + " bytes in UTF-8.");
        }

        return key;
    }

    private static string KindName(SettingKind kind)
    {
        switch (kind)
        {
            case SettingKind.Int32: return "an Int32";
            case SettingKind.Int64: return "an Int64";
            case SettingKind.Double: return "a Double";
            case SettingKind.Boolean: return "a Boolean";
            case SettingKind.String: return "a String";
            case SettingKind.Bytes: return "Bytes";
            default: return "kind " + (int)kind;
        }
    }

    private byte[] Encode(uint generation)
    {
        int length = HeaderLength + 2;
        foreach (DictionaryEntry item in _entries)
        {
            length += EntryLength((string)item.Key, (SettingEntry)item.Value);
        }

        length += CrcLength;
        byte[] image = new byte[length];
        image[0] = (byte)'C';
        image[1] = (byte)'E';
        image[2] = (byte)'S';
        image[3] = (byte)'1';
        LittleEndian.WriteUInt32(image, 4, generation);
        LittleEndian.WriteUInt32(image, 8, (uint)(length - HeaderLength - CrcLength));
        LittleEndian.WriteUInt16(image, 12, _entries.Count);
        int at = HeaderLength + 2;
        foreach (DictionaryEntry item in _entries)
        {
            at = WriteEntry(image, at, (string)item.Key, (SettingEntry)item.Value);
        }

        LittleEndian.WriteUInt32(image, at, Crc32.Compute(image, 0, at));
        return image;
    }

    private static int EntryLength(string key, SettingEntry entry)
    {
        int length = 1 + Encoding.UTF8.GetBytes(key).Length + 1;
        switch (entry.Kind)
        {
            case SettingKind.Int32: return length + 4;
            case SettingKind.Int64: return length + 8;
            case SettingKind.Double: return length + 8;
            case SettingKind.Boolean: return length + 1;
            case SettingKind.String: return length + 2 + Encoding.UTF8.GetBytes(entry.Text).Length;
            default: return length + 2 + entry.Bytes.Length;
        }
    }

    private static int WriteEntry(byte[] image, int at, string key, SettingEntry entry)
    {
        byte[] keyBytes = Encoding.UTF8.GetBytes(key);
        image[at++] = (byte)keyBytes.Length;
        Array.Copy(keyBytes, 0, image, at, keyBytes.Length);
        at += keyBytes.Length;
        image[at++] = (byte)entry.Kind;
        switch (entry.Kind)
        {
            case SettingKind.Int32:
                LittleEndian.WriteUInt32(image, at, (uint)(int)entry.Integer);
                return at + 4;
            case SettingKind.Int64:
                LittleEndian.WriteInt64(image, at, entry.Integer);
                return at + 8;
            case SettingKind.Double:
                LittleEndian.WriteInt64(image, at, BitConverter.DoubleToInt64Bits(entry.Real));
                return at + 8;
            case SettingKind.Boolean:
                image[at] = (byte)entry.Integer;
                return at + 1;
            default:
                byte[] bytes = entry.Kind == SettingKind.String ? Encoding.UTF8.GetBytes(entry.Text) : entry.Bytes;
                LittleEndian.WriteUInt16(image, at, bytes.Length);
                Array.Copy(bytes, 0, image, at + 2, bytes.Length);
                return at + 2 + bytes.Length;
        }
    }

    /// <summary>Decodes an image into <paramref name="entries"/>; returns null, or what is wrong with it and where.</summary>
    private static string Decode(byte[] image, Hashtable entries, out uint generation)
    {
        generation = 0;
        if (image.Length < HeaderLength + 2 + CrcLength)
        {
            return "expected at least " + (HeaderLength + 2 + CrcLength) + " bytes, found " + image.Length + ".";
        }

        if (image[0] != 'C' || image[1] != 'E' || image[2] != 'S' || image[3] != '1')
        {
            return "expected the magic \"CES1\" at offset 0, found 0x" + image[0].ToString("X2") + image[1].ToString("X2") + image[2].ToString("X2") + image[3].ToString("X2") + ".";
        }

        uint declared = LittleEndian.ReadUInt32(image, 8);
        if (declared != image.Length - HeaderLength - CrcLength)
        {
            return "expected " + declared + " bytes of entries (header at offset 8), found " + (image.Length - HeaderLength - CrcLength) + ": the write was cut short.";
        }

        int crcAt = image.Length - CrcLength;
        uint stored = LittleEndian.ReadUInt32(image, crcAt);
        uint computed = Crc32.Compute(image, 0, crcAt);
        if (stored != computed)
        {
            return "CRC-32 mismatch: stored 0x" + stored.ToString("X8") + " at offset " + crcAt + ", computed 0x" + computed.ToString("X8") + ".";
        }

        generation = LittleEndian.ReadUInt32(image, 4);
        int count = LittleEndian.ReadUInt16(image, 12);
        int at = HeaderLength + 2;
        for (int i = 0; i < count; i++)
        {
            if (at + 2 > crcAt)
            {
                return "entry " + i + " of " + count + " runs past the end at offset " + at + ".";
            }

            int keyLength = image[at++];
            if (at + keyLength + 1 > crcAt)
            {
                return "entry " + i + "'s key runs past the end at offset " + at + ".";
            }

            string key = Encoding.UTF8.GetString(image, at, keyLength);
            at += keyLength;
            SettingKind kind = (SettingKind)image[at++];
            SettingEntry entry = new SettingEntry(kind);
            int size = ValueSize(kind, image, at, crcAt);
            if (size < 0)
            {
                return "entry '" + key + "' at offset " + (at - 1) + ": expected a kind 1..6 whose value fits before the CRC, found kind " + (int)kind + ".";
            }

            switch (kind)
            {
                case SettingKind.Int32:
                    entry.Integer = (int)LittleEndian.ReadUInt32(image, at);
                    break;
                case SettingKind.Int64:
                    entry.Integer = LittleEndian.ReadInt64(image, at);
                    break;
                case SettingKind.Double:
                    entry.Real = BitConverter.Int64BitsToDouble(LittleEndian.ReadInt64(image, at));
                    break;
                case SettingKind.Boolean:
                    entry.Integer = image[at] != 0 ? 1 : 0;
                    break;
                case SettingKind.String:
                    entry.Text = Encoding.UTF8.GetString(image, at + 2, size - 2);
                    break;
                default:
                    byte[] bytes = new byte[size - 2];
                    Array.Copy(image, at + 2, bytes, 0, bytes.Length);
                    entry.Bytes = bytes;
                    break;
            }

            at += size;
            entries[key] = entry;
        }

        return at == crcAt ? null : "expected the CRC at offset " + at + " after " + count + " entries, found it at " + crcAt + ".";
    }

    /// <summary>The stored size of a value of <paramref name="kind"/> at <paramref name="at"/>, or -1 when it does not fit.</summary>
    private static int ValueSize(SettingKind kind, byte[] image, int at, int end)
    {
        int size;
        switch (kind)
        {
            case SettingKind.Int32: size = 4; break;
            case SettingKind.Int64: size = 8; break;
            case SettingKind.Double: size = 8; break;
            case SettingKind.Boolean: size = 1; break;
            case SettingKind.String:
            case SettingKind.Bytes:
                if (at + 2 > end)
                {
                    return -1;
                }

                size = 2 + LittleEndian.ReadUInt16(image, at);
                break;
            default: return -1;
        }

        return at + size <= end ? size : -1;
    }

    private static bool SameBytes(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] CopyOf(byte[] value)
    {
        byte[] copy = new byte[value.Length];
        Array.Copy(value, copy, value.Length);
        return copy;
    }
}
