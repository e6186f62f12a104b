namespace CivicEdge.Protocols.MBus.Tests;

/// <summary>Application layer (EN 13757-3): data header, DIF/DIFE, VIF/VIFE tables and data field codings.</summary>
[Category("Unit")]
public sealed class MbusApplicationDecoderTests
{
    // CI 72 header: identification 12345678 (BCD), manufacturer "ELS" (0x1593), version 1, medium 07 (water),
    // access number 0x55, status 0, signature 0000.
    private const string Header = "72 78 56 34 12 93 15 01 07 55 00 00 00";

    private static MbusTelegram Decode(string records) => MbusApplicationDecoder.Decode(Hex.Bytes(Header + " " + records));

    private static MbusDataRecord Single(string records)
    {
        var telegram = Decode(records);
        Assert.That(telegram.Error, Is.Null);
        Assert.That(telegram.Records, Has.Count.EqualTo(1));
        return telegram.Records[0];
    }

    [Test]
    public void The_long_header_gives_identification_manufacturer_medium_and_status()
    {
        var header = Decode("").Header!;

        Assert.That(header.Identification, Is.EqualTo(12345678));
        Assert.That(header.Manufacturer, Is.EqualTo("ELS"));
        Assert.That(header.Version, Is.EqualTo(1));
        Assert.That(header.Medium, Is.EqualTo(7));
        Assert.That(header.AccessNumber, Is.EqualTo(0x55));
    }

    [Test]
    public void An_identification_that_is_not_bcd_is_reported_as_minus_one()
    {
        var telegram = MbusApplicationDecoder.Decode(Hex.Bytes("72 78 56 3A 12 93 15 01 07 55 00 00 00"));

        Assert.That(telegram.Header!.Identification, Is.EqualTo(-1));
    }

    [TestCase("ELS", (ushort)0x1593)]
    [TestCase("KAM", (ushort)0x2C2D)]
    [TestCase("AAA", (ushort)0x0421)]
    public void Manufacturer_ids_encode_and_decode_as_three_letters(string flag, ushort code)
    {
        Assert.That(MbusManufacturer.Encode(flag), Is.EqualTo(code));
        Assert.That(MbusManufacturer.Decode(code), Is.EqualTo(flag));
    }

    [Test]
    public void An_energy_record_in_bcd_is_scaled_to_watt_hours()
    {
        // DIF 0C: 8-digit BCD, instantaneous; VIF 06: energy 10^3 Wh (kWh).
        var record = Single("0C 06 78 56 34 12");

        Assert.That(record.Quantity, Is.EqualTo("Energy"));
        Assert.That(record.Unit, Is.EqualTo("Wh"));
        Assert.That(record.Value, Is.EqualTo(12345678e3));
        Assert.That(record.Function, Is.EqualTo(MbusFunction.Instantaneous));
    }

    [Test]
    public void Negative_bcd_has_f_in_its_top_nibble()
    {
        var record = Single("0A 5B 12 F0"); // flow temperature °C, 4-digit BCD, −012

        Assert.That(record.Value, Is.EqualTo(-12));
    }

    [TestCase("01 13 FE", -0.002)]
    [TestCase("02 13 FE FF", -0.002)]
    [TestCase("03 13 00 00 80", -8388.608)]
    [TestCase("04 13 01 00 00 00", 0.001)]
    [TestCase("06 13 00 00 00 00 00 01", 1099511627.776)]
    [TestCase("07 13 FF FF FF FF FF FF FF FF", -0.001)]
    public void Integers_are_twos_complement_little_endian(string record, double litres)
    {
        Assert.That(Single(record).Value, Is.EqualTo(litres).Within(1e-9));
    }

    [Test]
    public void A_real_is_ieee_754_single_precision()
    {
        var record = Single("05 2B 00 00 C0 3F"); // power W, 1.5

        Assert.That(record.Value, Is.EqualTo(1.5));
        Assert.That(record.Unit, Is.EqualTo("W"));
    }

    [Test]
    public void Difes_carry_storage_number_tariff_and_subunit()
    {
        // DIF C4: bit 6 storage LSB, extension; DIFE 9A: ext, subunit 0, tariff 01, storage 1010; DIFE 41: subunit 1,
        // tariff 00, storage 0001. Storage = 1 + (1010 << 1) + (0001 << 5) = 53; tariff 1; subunit 2.
        var record = Single("C4 9A 41 13 01 00 00 00");

        Assert.That(record.StorageNumber, Is.EqualTo(53));
        Assert.That(record.Tariff, Is.EqualTo(1));
        Assert.That(record.Subunit, Is.EqualTo(2));
    }

    [TestCase("14 13 01 00 00 00", MbusFunction.Maximum)]
    [TestCase("24 13 01 00 00 00", MbusFunction.Minimum)]
    [TestCase("34 13 01 00 00 00", MbusFunction.ValueDuringError)]
    public void The_function_field_is_dif_bits_5_and_4(string record, MbusFunction function)
    {
        Assert.That(Single(record).Function, Is.EqualTo(function));
    }

    [Test]
    public void Type_g_date_and_type_f_date_time_are_read()
    {
        var telegram = Decode("42 6C DF 1C 04 6D 0A 0C CD 13");

        Assert.That(telegram.Records[0].Text, Is.EqualTo("2014-12-31"));
        Assert.That(telegram.Records[0].StorageNumber, Is.EqualTo(1));
        Assert.That(telegram.Records[1].Text, Is.EqualTo("2014-03-13T12:10:00"));
        Assert.That(telegram.Records[1].Kind, Is.EqualTo(MbusValueKind.DateTime));
    }

    [Test]
    public void A_type_i_date_time_carries_seconds()
    {
        Assert.That(Single("06 6D 1E 0A 0C CD 13 00").Text, Is.EqualTo("2014-03-13T12:10:30"));
    }

    [Test]
    public void Vif_fd_selects_the_first_extension_table()
    {
        var telegram = Decode("02 FD 48 E6 00 02 FD 59 0A 00 01 FD 17 04");

        Assert.That(telegram.Records[0].Quantity, Is.EqualTo("Voltage"));
        Assert.That(telegram.Records[0].Value, Is.EqualTo(23.0).Within(1e-9));
        Assert.That(telegram.Records[1].Quantity, Is.EqualTo("Current"));
        Assert.That(telegram.Records[1].Value, Is.EqualTo(0.01).Within(1e-12));
        Assert.That(telegram.Records[2].Quantity, Is.EqualTo("Error flags"));
        Assert.That(telegram.Records[2].Value, Is.EqualTo(4));
    }

    [Test]
    public void Vif_fb_selects_the_second_extension_table()
    {
        var record = Single("04 FB 00 0C 00 00 00"); // energy 10^-1 MWh

        Assert.That(record.Quantity, Is.EqualTo("Energy"));
        Assert.That(record.Value, Is.EqualTo(1.2e6).Within(1e-6));
    }

    [Test]
    public void A_plain_text_vif_gives_the_unit_and_is_followed_by_its_vifes()
    {
        // VIF FC, length 3, "HR%" reversed = "%RH", VIFE 74: multiplicative correction 10^-2, value 0x11D4 = 4564.
        var record = Single("02 FC 03 48 52 25 74 D4 11");

        Assert.That(record.Unit, Is.EqualTo("%RH"));
        Assert.That(record.Value, Is.EqualTo(45.64).Within(1e-9));
    }

    [Test]
    public void A_combinable_vife_of_1000_multiplies_the_value()
    {
        var record = Single("04 93 7D 05 00 00 00"); // volume 10^-3 m^3 with VIFE 7D: ×10^3

        Assert.That(record.Value, Is.EqualTo(5).Within(1e-9));
        Assert.That(record.Qualifiers, Is.EqualTo(new[] { "multiplicative correction factor 10^3" }));
    }

    [Test]
    public void Variable_length_text_is_read_last_character_first()
    {
        var record = Single("0D 78 03 43 42 41");

        Assert.That(record.Kind, Is.EqualTo(MbusValueKind.Text));
        Assert.That(record.Text, Is.EqualTo("ABC"));
    }

    [Test]
    public void Manufacturer_specific_data_to_the_end_is_passed_through()
    {
        var telegram = Decode("01 13 05 1F 01 02 03");

        Assert.That(telegram.MoreRecordsFollow, Is.True);
        Assert.That(telegram.Records[1].Function, Is.EqualTo(MbusFunction.ManufacturerSpecific));
        Assert.That(Hex.Of(telegram.Records[1].Raw.Span), Is.EqualTo("010203"));
    }

    [Test]
    public void A_manufacturer_specific_vif_keeps_the_dif_coding_but_claims_no_unit()
    {
        // The DIF still defines the data coding (16-bit integer); only the meaning is the manufacturer's (§6.4.2).
        var record = Single("02 FF 01 34 12");

        Assert.That(record.Quantity, Is.EqualTo("Manufacturer specific"));
        Assert.That(record.Unit, Is.Empty);
        Assert.That(record.Value, Is.EqualTo(0x1234));
        Assert.That(record.Qualifiers, Is.EqualTo(new[] { "error or action 01" }));
        Assert.That(Hex.Of(record.Raw.Span), Is.EqualTo("3412"));
    }

    [Test]
    public void Bcd_with_hex_digits_keeps_the_bytes_and_invents_no_value()
    {
        var record = Single("0C 13 FF FF FF FF");

        Assert.That(record.Kind, Is.EqualTo(MbusValueKind.Bytes));
        Assert.That(double.IsNaN(record.Value), Is.True);
    }

    [Test]
    public void Idle_fillers_are_skipped()
    {
        Assert.That(Decode("2F 2F 01 13 05 2F").Records, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_record_cut_short_keeps_the_records_before_it_and_names_the_offset()
    {
        var telegram = Decode("01 13 05 04 13 01 02");

        Assert.That(telegram.Records, Has.Count.EqualTo(1));
        Assert.That(telegram.Error, Is.EqualTo("offset 18: expected 4 data bytes for the record at offset 16, found 2"));
    }

    [Test]
    public void Eleven_difes_are_refused()
    {
        var telegram = Decode("84 80 80 80 80 80 80 80 80 80 80 00 13 00 00 00 00");

        Assert.That(telegram.Error, Does.Contain("expected at most 10 DIFEs"));
        Assert.That(telegram.Records, Is.Empty);
    }

    [Test]
    public void Eleven_vifes_are_refused()
    {
        var telegram = Decode("04 93 A2 A2 A2 A2 A2 A2 A2 A2 A2 A2 22 00 00 00 00");

        Assert.That(telegram.Error, Does.Contain("expected at most 10 VIFEs"));
    }

    [Test]
    public void The_fixed_data_structure_gives_two_counters()
    {
        // Annex G: id 12345678, access 01, status 00 (BCD counters, current value), unit codes 29 (litre) and 32
        // (litre per hour), counters 00012345 and 00000099.
        var telegram = MbusApplicationDecoder.Decode(Hex.Bytes("73 78 56 34 12 01 00 29 32 45 23 01 00 99 00 00 00"));

        Assert.That(telegram.Error, Is.Null);
        Assert.That(telegram.Header!.Identification, Is.EqualTo(12345678));
        Assert.That(telegram.Records[0].Quantity, Is.EqualTo("Volume"));
        Assert.That(telegram.Records[0].Value, Is.EqualTo(12.345).Within(1e-9));
        Assert.That(telegram.Records[1].Quantity, Is.EqualTo("Volume flow"));
        Assert.That(telegram.Records[1].Value, Is.EqualTo(0.099).Within(1e-9));
    }

    [Test]
    public void An_application_error_names_its_code()
    {
        var telegram = MbusApplicationDecoder.Decode([0x70, 0x08]);

        Assert.That(telegram.ApplicationErrorCode, Is.EqualTo(8));
        Assert.That(telegram.Error, Is.EqualTo("the slave reports application error 08: application busy"));
    }

    [Test]
    public void An_unknown_ci_field_is_named()
    {
        Assert.That(MbusApplicationDecoder.Decode([0x51]).Error, Is.EqualTo("offset 0: expected a CI field of a response (70, 72, 73, 78 or 7A), found 51"));
    }
}
