namespace CivicEdge.Protocols.MBus;

/// <summary>What a VIF (with its extension tables) says a record holds: quantity, SI unit and the factor to it.</summary>
internal readonly record struct MbusValueInformation(string Quantity, string Unit, double Scale, MbusVifMeaning Meaning = MbusVifMeaning.Numeric);
