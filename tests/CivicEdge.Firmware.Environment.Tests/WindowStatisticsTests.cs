namespace CivicEdge.Firmware.Environment.Tests;

[Category("Unit")]
public sealed class WindowStatisticsTests
{
    [Test]
    public void A_window_reports_the_mean_minimum_and_maximum_of_its_samples()
    {
        var window = new WindowStatistics(Quantity.Temperature);
        foreach (var value in new[] { 12.0, -3.5, 20.5, 7.0 })
            window.Add(value);

        window.Close();

        Assert.That((window.Mean, window.Min, window.Max, window.Samples), Is.EqualTo((9.0, -3.5, 20.5, 4)));
    }

    [Test]
    public void Wind_from_either_side_of_north_averages_to_north_not_south()
    {
        var window = new WindowStatistics(Quantity.WindDirection);
        window.Add(350);
        window.Add(10);

        window.Close();

        Assert.That(Math.Min(window.Mean, 360 - window.Mean), Is.LessThan(1e-9));
    }

    [Test]
    public void Wind_direction_is_the_vector_mean_of_the_samples()
    {
        var window = new WindowStatistics(Quantity.WindDirection);
        window.Add(80);
        window.Add(100);
        window.Add(90);

        window.Close();

        Assert.That(window.Mean, Is.EqualTo(90).Within(1e-9));
    }

    [Test]
    public void Sound_levels_average_as_energy_so_a_loud_half_dominates()
    {
        var window = new WindowStatistics(Quantity.Noise);
        window.Add(50);
        window.Add(70);

        window.Close();

        // 10·lg((10^5 + 10^7) / 2) = 67.0 dB, not the 60 dB the numbers average to.
        Assert.That(window.Mean, Is.EqualTo(67.03).Within(0.01));
    }

    [Test]
    public void Closing_starts_an_empty_window()
    {
        var window = new WindowStatistics(Quantity.Humidity);
        window.Add(40);
        window.Close();

        window.Close();

        Assert.That(window.Samples, Is.Zero);
    }
}
