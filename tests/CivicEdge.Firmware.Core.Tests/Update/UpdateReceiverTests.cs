using System.Security.Cryptography;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Update;
using CivicEdge.Firmware.Host;

namespace CivicEdge.Firmware.Core.Tests.Update;

[TestFixture]
[Category("Unit")]
public sealed class UpdateReceiverTests
{
    private const int Chunk = 240;

    private static readonly byte[] Factory = SimulatedFirmwareImage.Create("1.0.0", 20_000, seed: 1);
    private static readonly byte[] NewImage = SimulatedFirmwareImage.Create("1.1.0", 10_007, seed: 2);

    [Test]
    public void An_image_sent_whole_is_verified_staged_booted_on_trial_and_confirmed_after_the_health_window()
    {
        var device = new UpdatedDevice(Factory);

        Assert.That(Feed(device, NewImage), Is.EqualTo(0));
        Assert.That(device.Receiver.State, Is.EqualTo(UpdateState.Verifying));
        device.RunUntilVerified();
        Assert.That(device.Receiver.State, Is.EqualTo(UpdateState.Staged));

        Assert.That(device.Receiver.Install(), Is.EqualTo(UpdateError.None));
        device.Pass();

        Assert.That(device.RunningVersion, Is.EqualTo("1.1.0"));
        Assert.That(device.Receiver.State, Is.EqualTo(UpdateState.Trial));
        device.Pass();
        Assert.That(device.Receiver.State, Is.EqualTo(UpdateState.Trial), "confirmed before the health window passed");
        device.Advance(UpdatedDevice.HealthyAfter);
        device.Pass();
        device.Pass();
        Assert.That(device.Receiver.State, Is.EqualTo(UpdateState.Confirmed));
        Assert.That(device.Storage.RunningImage, Is.EqualTo(NewImage));
    }

    [Test]
    public void A_staged_image_whose_hash_differs_from_the_manifest_fails_and_is_never_bootable()
    {
        var device = new UpdatedDevice(Factory);
        var wrongHash = SHA256.HashData(Factory);

        device.Receiver.Start("1.1.0", NewImage.Length, wrongHash);
        for (var at = 0; at < NewImage.Length; at += Chunk)
            device.Receiver.WriteChunk(at, NewImage, at, Math.Min(Chunk, NewImage.Length - at));
        device.RunUntilVerified();

        Assert.That(device.Receiver.State, Is.EqualTo(UpdateState.Failed));
        Assert.That(device.Receiver.LastError, Is.EqualTo(UpdateError.HashMismatch));
        Assert.That(device.Receiver.Install(), Is.EqualTo(UpdateError.WrongState));
        device.Reboot(ResetCause.PowerOn);
        Assert.That(device.RunningVersion, Is.EqualTo("1.0.0"));
        Assert.That(device.Receiver.State, Is.EqualTo(UpdateState.Failed), "the failure is remembered across a restart");
    }

    [Test]
    public void A_byte_flipped_on_the_way_is_caught_by_the_hash()
    {
        var device = new UpdatedDevice(Factory);
        var damaged = (byte[])NewImage.Clone();
        damaged[5_000] ^= 0x10;

        device.Receiver.Start("1.1.0", NewImage.Length, SHA256.HashData(NewImage));
        for (var at = 0; at < damaged.Length; at += Chunk)
            device.Receiver.WriteChunk(at, damaged, at, Math.Min(Chunk, damaged.Length - at));
        device.RunUntilVerified();

        Assert.That(device.Receiver.LastError, Is.EqualTo(UpdateError.HashMismatch));
    }

    [Test]
    public void After_a_power_loss_the_device_asks_again_from_its_last_checkpoint()
    {
        var device = new UpdatedDevice(Factory, checkpointBytes: 1024);
        device.Receiver.Start("1.1.0", NewImage.Length, SHA256.HashData(NewImage));
        for (var at = 0; at < 3_000; at += Chunk)
            device.Receiver.WriteChunk(at, NewImage, at, Chunk);
        Assert.That(device.Receiver.NextOffset, Is.EqualTo(3_120));

        device.Reboot(ResetCause.PowerOn);

        Assert.That(device.Receiver.State, Is.EqualTo(UpdateState.Receiving));
        Assert.That(device.Receiver.NextOffset, Is.EqualTo(2_400), "the last offset persisted: checkpoints at 1200 and 2400, each at least 1024 bytes after the one before");
        Assert.That(Feed(device, NewImage), Is.EqualTo(0));
        device.RunUntilVerified();
        Assert.That(device.Receiver.State, Is.EqualTo(UpdateState.Staged));
    }

    [Test]
    public void A_power_loss_tearing_any_write_of_the_staging_area_still_ends_with_the_right_image_staged()
    {
        var writes = (NewImage.Length + Chunk - 1) / Chunk;
        for (var tearAt = 0; tearAt < writes; tearAt++)
        {
            var device = new UpdatedDevice(Factory, checkpointBytes: 1024);
            var torn = false;

            var losses = Feed(device, NewImage, beforeWrite: n =>
            {
                if (n == tearAt && !torn)
                {
                    torn = true;
                    device.Storage.TearNextWriteAfter(Chunk / 3);
                }
            });
            device.RunUntilVerified();

            Assert.That(losses, Is.EqualTo(1), $"tear at write {tearAt}");
            Assert.That(device.Receiver.State, Is.EqualTo(UpdateState.Staged), $"tear at write {tearAt}: {device.Receiver.LastError}");
        }
    }

    [Test]
    public void A_power_loss_tearing_any_save_of_the_progress_at_any_byte_still_ends_with_the_right_image_staged()
    {
        // Count the progress saves of an undisturbed update first, then tear each of them in turn at several bytes.
        var probe = new UpdatedDevice(Factory, checkpointBytes: 2048);
        var savesBefore = probe.Settings.Writes;
        Feed(probe, NewImage);
        probe.RunUntilVerified();
        var saves = (int)(probe.Settings.Writes - savesBefore);
        Assert.That(saves, Is.GreaterThan(3));

        foreach (var keep in new[] { 0, 1, 13, 40, 90 })
        {
            for (var tearAt = 1; tearAt <= saves; tearAt++)
            {
                var device = new UpdatedDevice(Factory, checkpointBytes: 2048);
                var start = device.Settings.Writes;
                var torn = false;

                var losses = Feed(device, NewImage, beforeWrite: _ =>
                {
                    if (!torn && device.Settings.Writes - start == tearAt - 1)
                    {
                        torn = true;
                        device.Settings.TearNextWriteAfter(keep);
                    }
                });
                for (var pass = 0; pass < 100 && device.Receiver.State != UpdateState.Staged; pass++)
                {
                    try
                    {
                        device.RunUntilVerified();
                    }
                    catch (PowerLossException)
                    {
                        losses++;
                        device.Reboot(ResetCause.PowerOn);
                    }

                    if (device.Receiver.State is UpdateState.Receiving or UpdateState.Idle)
                        losses += Feed(device, NewImage);
                }

                Assert.That(device.Receiver.State, Is.EqualTo(UpdateState.Staged), $"save {tearAt} torn after {keep} bytes");
                Assert.That(losses, Is.LessThanOrEqualTo(1));
            }
        }
    }

    [Test]
    public void A_new_image_that_never_becomes_healthy_is_rolled_back_after_three_trial_boots()
    {
        var faulty = SimulatedFirmwareImage.Create("1.2.0", 5_000, healthy: false, seed: 3);
        var device = new UpdatedDevice(Factory);
        Feed(device, faulty);
        device.RunUntilVerified();
        device.Receiver.Install();
        device.Pass();
        Assert.That(device.RunningVersion, Is.EqualTo("1.2.0"));

        for (var boot = 1; boot <= 3; boot++)
        {
            Assert.That(device.Receiver.State, Is.EqualTo(UpdateState.Trial), $"trial boot {boot}");
            device.Pass(healthy: false);
            device.Reboot(ResetCause.Watchdog);
        }

        Assert.That(device.Receiver.State, Is.EqualTo(UpdateState.RolledBack));
        Assert.That(device.Receiver.LastError, Is.EqualTo(UpdateError.NeverConfirmed));
        device.Pass();
        Assert.That(device.RunningVersion, Is.EqualTo("1.0.0"));
        Assert.That(device.Receiver.State, Is.EqualTo(UpdateState.RolledBack));
        Assert.That(device.Storage.RunningImage, Is.EqualTo(Factory));
    }

    [Test]
    public void Power_cuts_while_a_new_image_is_on_trial_do_not_count_against_it()
    {
        var device = new UpdatedDevice(Factory);
        Feed(device, NewImage);
        device.RunUntilVerified();
        device.Receiver.Install();
        device.Pass();

        for (var cut = 0; cut < 5; cut++)
            device.Reboot(ResetCause.PowerOn);
        device.Advance(UpdatedDevice.HealthyAfter);
        device.Pass();
        device.Pass();

        Assert.That(device.Receiver.State, Is.EqualTo(UpdateState.Confirmed));
        Assert.That(device.RunningVersion, Is.EqualTo("1.1.0"));
    }

    [Test]
    public void A_chunk_past_the_next_offset_needed_is_refused_and_changes_nothing()
    {
        var device = new UpdatedDevice(Factory);
        device.Receiver.Start("1.1.0", NewImage.Length, SHA256.HashData(NewImage));
        device.Receiver.WriteChunk(0, NewImage, 0, Chunk);

        Assert.That(device.Receiver.WriteChunk(2 * Chunk, NewImage, 2 * Chunk, Chunk), Is.EqualTo(UpdateError.OffsetOutOfRange));
        Assert.That(device.Receiver.NextOffset, Is.EqualTo(Chunk));
        Assert.That(device.Receiver.WriteChunk(NewImage.Length, NewImage, 0, 2), Is.EqualTo(UpdateError.OffsetOutOfRange));
    }

    [Test]
    public void An_image_larger_than_the_staging_area_or_a_version_that_does_not_fit_is_refused()
    {
        var device = new UpdatedDevice(Factory, capacity: 8_000);
        var hash = SHA256.HashData(NewImage);

        Assert.That(device.Receiver.Start("1.1.0", 8_001, hash), Is.EqualTo(UpdateError.ImageTooLarge));
        Assert.That(device.Receiver.Start("1.1.0-with-a-long-suffix", 100, hash), Is.EqualTo(UpdateError.BadVersion));
        Assert.That(device.Receiver.Start("1.1 0", 100, hash), Is.EqualTo(UpdateError.BadVersion));
        Assert.That(device.Receiver.State, Is.EqualTo(UpdateState.Idle));
    }

    [Test]
    public void Installing_before_the_image_is_verified_is_refused()
    {
        var device = new UpdatedDevice(Factory);
        device.Receiver.Start("1.1.0", NewImage.Length, SHA256.HashData(NewImage));

        Assert.That(device.Receiver.Install(), Is.EqualTo(UpdateError.WrongState));
        Assert.That(device.Power.RebootRequests, Is.Zero);
    }

    [Test]
    public void The_same_manifest_again_keeps_the_transfer_and_another_one_starts_over()
    {
        var device = new UpdatedDevice(Factory);
        var hash = SHA256.HashData(NewImage);
        device.Receiver.Start("1.1.0", NewImage.Length, hash);
        device.Receiver.WriteChunk(0, NewImage, 0, Chunk);

        device.Receiver.Start("1.1.0", NewImage.Length, hash);
        Assert.That(device.Receiver.NextOffset, Is.EqualTo(Chunk));

        device.Receiver.Start("1.1.1", NewImage.Length, hash);
        Assert.That(device.Receiver.NextOffset, Is.Zero);
        Assert.That(device.Receiver.TargetVersion, Is.EqualTo("1.1.1"));
    }

    /// <summary>
    /// What a sender does: opens the update unless the device is already receiving it, then sends chunks from the
    /// offset the device says it needs; after a power loss it asks again. Returns the power losses met.
    /// </summary>
    private static int Feed(UpdatedDevice device, byte[] image, Action<int>? beforeWrite = null)
    {
        var hash = SHA256.HashData(image);
        var version = SimulatedFirmwareImage.VersionOf(image);
        var losses = 0;
        var writes = 0;
        while (device.Receiver.State != UpdateState.Verifying && device.Receiver.State != UpdateState.Staged)
        {
            try
            {
                if (device.Receiver.State != UpdateState.Receiving || device.Receiver.TargetVersion != version)
                    Assert.That(device.Receiver.Start(version, image.Length, hash), Is.EqualTo(UpdateError.None));
                var at = device.Receiver.NextOffset;
                beforeWrite?.Invoke(writes++);
                Assert.That(device.Receiver.WriteChunk(at, image, at, Math.Min(Chunk, image.Length - at)), Is.EqualTo(UpdateError.None));
            }
            catch (PowerLossException)
            {
                losses++;
                device.Reboot(ResetCause.PowerOn);
            }
        }

        return losses;
    }
}
