using System;
using CivicEdge.Firmware.Core.Boot;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Scheduling;
using CivicEdge.Firmware.Core.Settings;

namespace CivicEdge.Firmware.Core.Update;

/// <summary>
/// The device's side of an update, in the shape of nanoFramework's In-Field Update provider: a manifest (version,
/// size, SHA-256) opens an update, chunks are written at offsets into <see cref="IUpdateStorage"/>, the staged image is
/// read back and hashed, marked bootable and started on trial; the boot guard's confirmation keeps it, and a new image
/// that restarts <c>maxTrialBoots</c> times without confirming is rolled back. Progress is persisted in a
/// <see cref="SettingsStore"/> named <c>ota</c> every <c>checkpointBytes</c>, so after a power loss the device reports
/// the last checkpoint as the next offset it needs and the sender resumes there.
/// </summary>
/// <remarks>
/// The manifest's ECDSA signature is checked by the gateway, which holds the trusted keys (nanoFramework has no
/// ECDSA); the device checks what the gateway cannot vouch for over the bus: that every byte arrived intact, by the
/// SHA-256 of the staged image. Add the receiver to the main loop after the boot guard: verification is done there, a
/// slice per pass, so a Modbus request never waits for a hash of the whole image.
/// </remarks>
public sealed class UpdateReceiver : IScheduledJob
{
    /// <summary>The longest version string a manifest may carry (it fills 8 registers).</summary>
    public const int MaxVersionLength = 16;

    /// <summary>Trial boots of a new image that may fail before it is rolled back, unless configured otherwise.</summary>
    public const int DefaultMaxTrialBoots = 3;

    private const int VerifySlice = 4096;
    private const string StateKey = "state";
    private const string ErrorKey = "error";
    private const string VersionKey = "version";
    private const string SizeKey = "size";
    private const string HashKey = "sha256";
    private const string CheckpointKey = "next";
    private const string TrialsKey = "trials";

    private readonly IUpdateStorage _storage;
    private readonly SettingsStore _store;
    private readonly IPowerControl _power;
    private readonly BootGuard _guard;
    private readonly int _checkpointBytes;
    private readonly int _maxTrialBoots;
    private readonly Sha256 _sha = new Sha256();
    private readonly byte[] _slice = new byte[256];
    private readonly byte[] _digest = new byte[Sha256.DigestLength];
    private byte[] _expectedHash = new byte[Sha256.DigestLength];
    private readonly string _runningVersion;
    private int _size;
    private int _next;
    private int _verified;
    private bool _rebootDue;
    private bool _begun;

    /// <param name="storage">The staging area and boot loader.</param>
    /// <param name="settings">Where the update's progress is persisted.</param>
    /// <param name="power">Restarts the device into the new image, or back into the old one.</param>
    /// <param name="guard">Says when a boot is healthy; begun before the receiver.</param>
    /// <param name="runningVersion">The version of the image running now.</param>
    /// <param name="checkpointBytes">How many received bytes are persisted at a time: smaller loses less to a power loss, larger wears the flash less.</param>
    /// <param name="maxTrialBoots">Boots of a new image that may end without confirmation before it is rolled back, at least 1.</param>
    public UpdateReceiver(IUpdateStorage storage, ISettingsStorage settings, IPowerControl power, BootGuard guard, string runningVersion, int checkpointBytes, int maxTrialBoots)
    {
        if (storage == null)
        {
            throw new ArgumentNullException(nameof(storage));
        }

        if (power == null)
        {
            throw new ArgumentNullException(nameof(power));
        }

        if (guard == null)
        {
            throw new ArgumentNullException(nameof(guard));
        }

        if (checkpointBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(checkpointBytes), "checkpointBytes must be at least 1; found " + checkpointBytes + ".");
        }

        if (maxTrialBoots < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTrialBoots), "maxTrialBoots must be at least 1; found " + maxTrialBoots + ".");
        }

        CheckVersion(runningVersion);
        _storage = storage;
        _store = new SettingsStore(settings, "ota");
        _power = power;
        _guard = guard;
        _runningVersion = runningVersion;
        _checkpointBytes = checkpointBytes;
        _maxTrialBoots = maxTrialBoots;
    }

    /// <summary>Where the update stands.</summary>
    public UpdateState State { get; private set; }

    /// <summary>Why the last step was refused or failed.</summary>
    public UpdateError LastError { get; private set; }

    /// <summary>The offset of the first byte the device still needs.</summary>
    public int NextOffset => _next;

    /// <summary>The image size of the update in progress, 0 when there is none.</summary>
    public int ImageSize => _size;

    /// <summary>The version the update brings; empty when there is none.</summary>
    public string TargetVersion { get; private set; } = string.Empty;

    /// <summary>The version of the image running now.</summary>
    public string RunningVersion => _runningVersion;

    /// <summary>Boots of the new image so far that have not (yet) confirmed.</summary>
    public int TrialBoots { get; private set; }

    /// <summary>
    /// Called at boot after <see cref="BootGuard.Begin"/>: picks up an update where a reset left it. A transfer resumes
    /// from its last checkpoint; an image that was started on trial counts this boot, and after too many boots without
    /// confirmation is rolled back and the device restarts into the previous image.
    /// </summary>
    public void Begin()
    {
        if (_begun)
        {
            throw new InvalidOperationException("The update receiver has already begun this boot.");
        }

        _begun = true;
        _store.Load();
        State = (UpdateState)_store.GetInt32(StateKey, (int)UpdateState.Idle);
        LastError = (UpdateError)_store.GetInt32(ErrorKey, (int)UpdateError.None);
        TargetVersion = _store.GetString(VersionKey, string.Empty);
        _size = _store.GetInt32(SizeKey, 0);
        _expectedHash = _store.GetBytes(HashKey, new byte[Sha256.DigestLength]);
        _next = _store.GetInt32(CheckpointKey, 0);
        TrialBoots = _store.GetInt32(TrialsKey, 0);
        if (State == UpdateState.Verifying)
        {
            _verified = 0;
            _sha.Reset();
        }

        if (State != UpdateState.Rebooting && State != UpdateState.Trial)
        {
            return;
        }

        // A boot cut by a power loss is not the image's failure (the boot guard's rule too).
        bool counts = State == UpdateState.Rebooting || _guard.LastResetCause != ResetCause.PowerOn;
        if (counts)
        {
            TrialBoots++;
        }

        if (TrialBoots > _maxTrialBoots)
        {
            _storage.RollBack();
            State = UpdateState.RolledBack;
            LastError = UpdateError.NeverConfirmed;
            Persist();
            _rebootDue = true;
            return;
        }

        State = UpdateState.Trial;
        Persist();
    }

    /// <summary>
    /// Opens an update: erases the staging area and expects chunks from offset 0. The same manifest again while its
    /// transfer is under way changes nothing, so a sender that lost its place just asks for the next offset.
    /// </summary>
    public UpdateError Start(string version, int size, byte[] sha256)
    {
        if (sha256 == null || sha256.Length != Sha256.DigestLength)
        {
            throw new ArgumentException("A manifest's SHA-256 has 32 bytes.");
        }

        if (State == UpdateState.Rebooting || State == UpdateState.Verifying)
        {
            return Refuse(UpdateError.WrongState);
        }

        if (!IsVersion(version))
        {
            return Refuse(UpdateError.BadVersion);
        }

        if (size < 1 || size > _storage.Capacity)
        {
            return Refuse(UpdateError.ImageTooLarge);
        }

        if (State == UpdateState.Receiving && size == _size && version == TargetVersion && SameBytes(sha256, _expectedHash))
        {
            LastError = UpdateError.None;
            return UpdateError.None;
        }

        try
        {
            _storage.Erase();
        }
        catch (Exception)
        {
            return Fail(UpdateError.StorageFault);
        }

        TargetVersion = version;
        _size = size;
        _expectedHash = new byte[Sha256.DigestLength];
        Array.Copy(sha256, _expectedHash, Sha256.DigestLength);
        _next = 0;
        TrialBoots = 0;
        State = UpdateState.Receiving;
        LastError = UpdateError.None;
        Persist();
        return UpdateError.None;
    }

    /// <summary>
    /// Writes a chunk at <paramref name="offset"/>. It may start anywhere up to the next offset needed (a resent chunk
    /// overwrites the same bytes) and must end within the image; bytes past the image's end (padding to whole
    /// registers) are dropped.
    /// </summary>
    public UpdateError WriteChunk(int offset, byte[] data, int index, int count)
    {
        if (State != UpdateState.Receiving)
        {
            return Refuse(UpdateError.WrongState);
        }

        if (offset < 0 || offset > _next || count < 1 || offset >= _size || offset + count > _size + 1)
        {
            return Refuse(UpdateError.OffsetOutOfRange);
        }

        if (offset + count > _size)
        {
            count = _size - offset;
        }

        _storage.Write(offset, data, index, count);
        if (offset + count > _next)
        {
            int checkpoint = _store.GetInt32(CheckpointKey, 0);
            _next = offset + count;
            if (_next == _size)
            {
                // Everything is here: the hash check runs in the main loop.
                State = UpdateState.Verifying;
                _verified = 0;
                _sha.Reset();
                Persist();
            }
            else if (_next - checkpoint >= _checkpointBytes)
            {
                Persist();
            }
        }

        LastError = UpdateError.None;
        return UpdateError.None;
    }

    /// <summary>Reads staged bytes back, for a sender that checks what arrived. Only within the bytes received.</summary>
    public UpdateError ReadChunk(int offset, byte[] into, int index, int count)
    {
        if (offset < 0 || count < 1 || offset + count > _next)
        {
            return UpdateError.OffsetOutOfRange;
        }

        _storage.Read(offset, into, index, count);
        return UpdateError.None;
    }

    /// <summary>Marks the verified image bootable; the device restarts into it at the next main-loop pass.</summary>
    public UpdateError Install()
    {
        if (State != UpdateState.Staged)
        {
            return Refuse(UpdateError.WrongState);
        }

        _storage.MarkBootable(_size);
        State = UpdateState.Rebooting;
        TrialBoots = 0;
        LastError = UpdateError.None;
        Persist();
        _rebootDue = true;
        return UpdateError.None;
    }

    /// <summary>Drops an update that has not been installed; the staged bytes are erased.</summary>
    public UpdateError Abort()
    {
        if (State == UpdateState.Rebooting || State == UpdateState.Trial)
        {
            return Refuse(UpdateError.WrongState);
        }

        if (State == UpdateState.Receiving || State == UpdateState.Verifying || State == UpdateState.Staged)
        {
            _storage.Erase();
        }

        State = UpdateState.Idle;
        LastError = UpdateError.None;
        _next = 0;
        _size = 0;
        TargetVersion = string.Empty;
        Persist();
        return UpdateError.None;
    }

    /// <summary>
    /// One main-loop pass: hashes the next slice of a staged image, keeps a trial image once the boot guard confirmed
    /// the boot, and restarts the device when an install or a rollback asked for it (after the answer went out).
    /// </summary>
    public void Run(long uptimeMilliseconds)
    {
        if (_rebootDue)
        {
            _rebootDue = false;
            _power.Reboot();
            return;
        }

        if (State == UpdateState.Verifying)
        {
            VerifySomeMore();
        }
        else if (State == UpdateState.Trial && _guard.IsConfirmed)
        {
            _storage.ConfirmRunning();
            State = UpdateState.Confirmed;
            TrialBoots = 0;
            Persist();
        }
    }

    /// <summary>Whether <paramref name="version"/> fits the version registers: 1..16 printable ASCII characters.</summary>
    public static bool IsVersion(string version)
    {
        if (version == null || version.Length == 0 || version.Length > MaxVersionLength)
        {
            return false;
        }

        for (int i = 0; i < version.Length; i++)
        {
            if (version[i] < 0x21 || version[i] > 0x7E)
            {
                return false;
            }
        }

        return true;
    }

    private void VerifySomeMore()
    {
        int end = _verified + VerifySlice;
        if (end > _size)
        {
            end = _size;
        }

        try
        {
            while (_verified < end)
            {
                int take = end - _verified;
                if (take > _slice.Length)
                {
                    take = _slice.Length;
                }

                _storage.Read(_verified, _slice, 0, take);
                _sha.Append(_slice, 0, take);
                _verified += take;
            }
        }
        catch (Exception)
        {
            Fail(UpdateError.StorageFault);
            return;
        }

        if (_verified < _size)
        {
            return;
        }

        _sha.Finish(_digest, 0);
        if (!SameBytes(_digest, _expectedHash))
        {
            Fail(UpdateError.HashMismatch);
            return;
        }

        State = UpdateState.Staged;
        LastError = UpdateError.None;
        Persist();
    }

    private UpdateError Refuse(UpdateError error)
    {
        LastError = error;
        return error;
    }

    private UpdateError Fail(UpdateError error)
    {
        State = UpdateState.Failed;
        LastError = error;
        _next = 0;
        Persist();
        return error;
    }

    private void Persist()
    {
        _store.SetInt32(StateKey, (int)State);
        _store.SetInt32(ErrorKey, (int)LastError);
        _store.SetString(VersionKey, TargetVersion);
        _store.SetInt32(SizeKey, _size);
        _store.SetBytes(HashKey, _expectedHash);
        _store.SetInt32(CheckpointKey, _next);
        _store.SetInt32(TrialsKey, TrialBoots);
        _store.Save();
    }

    private static void CheckVersion(string version)
    {
        if (!IsVersion(version))
        {
            throw new ArgumentException("A firmware version is 1.." + MaxVersionLength + " printable ASCII characters; found '" + version + "'.");
        }
    }

    private static bool SameBytes(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        int difference = 0;
        for (int i = 0; i < a.Length; i++)
        {
            difference |= a[i] ^ b[i];
        }

        return difference == 0;
    }
}
