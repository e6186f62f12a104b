using CivicEdge.Fleet.Contracts.Ota;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Ota;

/// <summary>The release signers the fleet trusts, read once from <see cref="OtaOptions.TrustedKeyFiles"/> (checked at start-up).</summary>
internal sealed class TrustedSigners : IDisposable
{
    private readonly List<OtaPublicKey> _keys;

    public TrustedSigners(IOptions<OtaOptions> options)
    {
        _keys = options.Value.TrustedKeyFiles.Select(path => OtaPublicKey.FromPem(File.ReadAllText(path))).ToList();
        Verifier = new OtaVerifier(_keys);
    }

    public OtaVerifier Verifier { get; }

    public void Dispose()
    {
        foreach (var key in _keys)
            key.Dispose();
    }
}
