using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>Gateway payloads as a release would ship them: a gzip-compressed tar of a published gateway folder.</summary>
internal static class GatewayPayloads
{
    /// <summary>A payload whose civicedge-gateway is a shell script printing its version, with a profile file beside it.</summary>
    public static byte[] Script(string version, string body = "echo \"gateway $VERSION $*\"") =>
        TarGz(
            ("civicedge-gateway", Encoding.UTF8.GetBytes($"#!/bin/sh\nVERSION={version}\n{body}\n"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute),
            ("profiles/meter.yaml", Encoding.UTF8.GetBytes("model: meter\n"), UnixFileMode.UserRead | UnixFileMode.UserWrite));

    public static byte[] TarGz(params (string Name, byte[] Content, UnixFileMode Mode)[] files)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, content, mode) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(content),
                    Mode = mode,
                });
            }
        }
        return buffer.ToArray();
    }
}
