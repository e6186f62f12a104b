namespace CivicEdge.Rules.Evaluation;

/// <summary>Gives compiled expressions their integer slots while a rule set is compiled.</summary>
internal interface ISlotMap
{
    /// <summary>The slot of a point named in an expression (<c>device.point</c>, or <c>virtual.name</c>).</summary>
    int PointSlot(string device, string point);

    /// <summary>The slot holding 1 while a device's communication is lost, else 0.</summary>
    int StaleSlot(string device);

    /// <summary>Makes sure the slot keeps its readings for at least <paramref name="spanTicks"/>.</summary>
    void KeepWindow(int slot, long spanTicks);
}
