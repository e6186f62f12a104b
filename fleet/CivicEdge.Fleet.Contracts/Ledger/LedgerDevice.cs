namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>A device as the ledger holds it.</summary>
/// <param name="Code">The unified device code.</param>
/// <param name="Kind">What the device is.</param>
/// <param name="Model">Its hardware profile model, e.g. <c>eastron-sdm630</c>.</param>
/// <param name="Tenant">The owner: a bureau, a utility, a county.</param>
/// <param name="Location">Where it is.</param>
/// <param name="Gateway">The code of the gateway it sits behind; null for a device with its own uplink.</param>
/// <param name="State">Its lifecycle state.</param>
/// <param name="Firmware">The firmware version it runs.</param>
/// <param name="Tags">Free labels, e.g. <c>pilot</c>, <c>ring-road</c>.</param>
/// <param name="Capabilities">What it senses, e.g. <c>pm2.5</c>, <c>noise</c>; checked for duplicates nearby.</param>
/// <param name="Batch">The delivery batch it came in; claim tokens can be bound to it.</param>
/// <param name="Installer">Who installed it.</param>
/// <param name="InstalledAt">When it was installed.</param>
/// <param name="RegisteredAt">When it entered the ledger.</param>
/// <param name="UpdatedAt">When the entry last changed.</param>
/// <param name="Revision">Raised on every change.</param>
/// <param name="History">Every lifecycle step, oldest first.</param>
public sealed record LedgerDevice(
    string Code,
    DeviceKind Kind,
    string? Model,
    string Tenant,
    DeviceLocation? Location,
    string? Gateway,
    LifecycleState State,
    string? Firmware,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Capabilities,
    string? Batch,
    string? Installer,
    DateTimeOffset? InstalledAt,
    DateTimeOffset RegisteredAt,
    DateTimeOffset UpdatedAt,
    long Revision,
    IReadOnlyList<LifecycleChange> History);
