namespace CivicEdge.Fleet.Core.Security;

/// <summary>Why a connection was refused; counted and logged, while the client learns only what MQTT lets it.</summary>
public enum ConnectRefusal
{
    /// <summary>No user name and no client certificate.</summary>
    NoCredentials,

    /// <summary>The user name is no device in the ledger.</summary>
    UnknownDevice,

    /// <summary>The password matches none of the device's active credentials.</summary>
    BadPassword,

    /// <summary>The device has no active credential of the kind it presented (all revoked or expired).</summary>
    NoActiveCredential,

    /// <summary>The device is decommissioned.</summary>
    Decommissioned,

    /// <summary>The client certificate is not one the fleet CA issued, or it expired.</summary>
    UntrustedCertificate,

    /// <summary>The client certificate was revoked or is unknown to the ledger.</summary>
    RevokedCertificate,

    /// <summary>The client id is not the device's code (or code/suffix): it could take over another device's session.</summary>
    ClientIdMismatch,

    /// <summary>The user name does not match the certificate's common name.</summary>
    UserNameMismatch,

    /// <summary>Too many wrong passwords for this device lately: refused without checking, until the window passes.</summary>
    TooManyFailures,
}
