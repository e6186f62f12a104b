using System.Globalization;
using System.Text.RegularExpressions;
using CivicEdge.Hardware;

namespace CivicEdge.Firmware.Pole.Tests;

[Category("Unit")]
public sealed partial class PoleBoardTests
{
    private static Dictionary<string, string> Board()
    {
        var path = Path.Combine(Path.GetDirectoryName(ProfileDirectory.Locate())!, "boards", "civicedge-pole-esp32.yaml");
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            var match = EntryPattern().Match(line);
            if (match.Success)
                entries[match.Groups[1].Value] = match.Groups[2].Value;
        }

        return entries;
    }

    private static int Field(Dictionary<string, string> board, string name, string field)
    {
        var match = Regex.Match(board[name], $@"\b{field}: (0x[0-9A-Fa-f]+|\d+)");
        Assert.That(match.Success, Is.True, $"{name} has no {field}");
        var text = match.Groups[1].Value;
        return text.StartsWith("0x", StringComparison.Ordinal)
            ? int.Parse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : int.Parse(text, CultureInfo.InvariantCulture);
    }

    [Test]
    public void The_firmwares_pin_map_is_the_board_files()
    {
        var board = Board();

        Assert.Multiple(() =>
        {
            Assert.That(Field(board, "relay", "gpio"), Is.EqualTo(PoleBoard.RelayPin));
            Assert.That(Field(board, "relay_feedback", "gpio"), Is.EqualTo(PoleBoard.RelayFeedbackPin));
            Assert.That(Field(board, "dimming_pwm", "gpio"), Is.EqualTo(PoleBoard.DimmingPwmPin));
            Assert.That(Field(board, "dimming_pwm", "frequency"), Is.EqualTo(PoleBoard.DimmingPwmFrequency));
            Assert.That(Field(board, "mains_voltage_adc", "adc"), Is.EqualTo(PoleBoard.MainsVoltageAdcChannel));
            Assert.That(Field(board, "lamp_current_adc", "adc"), Is.EqualTo(PoleBoard.LampCurrentAdcChannel));
            Assert.That(Field(board, "driver_ntc_adc", "adc"), Is.EqualTo(PoleBoard.DriverThermistorAdcChannel));
            Assert.That(Field(board, "door_contact", "gpio"), Is.EqualTo(PoleBoard.DoorContactPin));
            Assert.That(Field(board, "tilt_switch", "gpio"), Is.EqualTo(PoleBoard.TiltSwitchPin));
            Assert.That(Field(board, "photocell", "gpio"), Is.EqualTo(PoleBoard.PhotocellPin));
            Assert.That(Field(board, "rs485_tx", "gpio"), Is.EqualTo(PoleBoard.Rs485TxPin));
            Assert.That(Field(board, "rs485_rx", "gpio"), Is.EqualTo(PoleBoard.Rs485RxPin));
            Assert.That(Field(board, "rs485_de", "gpio"), Is.EqualTo(PoleBoard.Rs485DirectionPin));
            Assert.That(board["rs485_tx"], Does.Contain("uart: " + PoleBoard.Rs485Port));
            Assert.That(Field(board, "i2c_sda", "gpio"), Is.EqualTo(PoleBoard.I2cSdaPin));
            Assert.That(Field(board, "i2c_scl", "gpio"), Is.EqualTo(PoleBoard.I2cSclPin));
            Assert.That(Field(board, "i2c_sda", "bus"), Is.EqualTo(PoleBoard.I2cBus));
            Assert.That(Field(board, "accelerometer", "address"), Is.EqualTo(PoleBoard.AccelerometerAddress));
        });
    }

    [Test]
    public void No_two_functions_share_a_gpio()
    {
        var gpios = Board().Where(e => e.Value.Contains("gpio:", StringComparison.Ordinal))
            .Select(e => (e.Key, Gpio: Field(Board(), e.Key, "gpio"))).ToList();

        Assert.That(gpios.GroupBy(g => g.Gpio).Where(g => g.Count() > 1).Select(g => string.Join("/", g.Select(x => x.Key))), Is.Empty);
    }

    [GeneratedRegex(@"^\s+([a-z0-9_]+):\s+\{(.*)\}")]
    private static partial Regex EntryPattern();
}
