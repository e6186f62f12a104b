#!/usr/bin/env bash
# The single entry point: ./build.sh --target=<Clean|Build|Test|Demo|Publish|PublishEdge|TestEdge|Bench> [cake arguments]
# Bootstraps a machine that has only the .NET SDK: restores the local tools, installs the Debian packages the target
# needs when they are missing, then hands over to build.cake.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

target=Default
for arg in "$@"; do
  case "$arg" in
    --target=*) target="${arg#--target=}" ;;
  esac
done

# Debian packages each target needs at run time; tests use real peers, never mocks of them.
#   mosquitto-clients: an independent MQTT 5 client that checks our topic contract from the outside;
#   mosquitto: a real broker with TLS and a password file, as a city runs one, for the uplink's security tests;
#   socat: pseudo-terminal pairs that stand in for RS-485 serial lines;
#   python3-pymodbus (+ python3-serial-asyncio for its serial server), mbpoll, libmodbus-dev (+ gcc, libc6-dev):
#   independent Modbus masters and slaves to interoperate with;
#   gcc, libc6-dev: the C toolchain Native AOT links the edge gateway with (it takes gcc when clang is not on PATH;
#   zlib comes with the AOT runtime pack);
#   postgresql: the fleet's city-scale store, started by the tests and benchmarks on a throwaway data directory.
declare -A debian_packages=(
  [Test]="mosquitto mosquitto-clients socat python3-pymodbus python3-serial-asyncio mbpoll libmodbus-dev gcc libc6-dev postgresql"
  [PublishEdge]="gcc libc6-dev"
  [TestEdge]="gcc libc6-dev"
  [Bench]="socat libmodbus-dev gcc libc6-dev postgresql"
)

missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

install_debian_packages() {
  local wanted missing sudo=""
  wanted="${debian_packages[$target]:-}"
  [ -n "$wanted" ] || return 0
  # shellcheck disable=SC2086
  missing=$(missing_packages $wanted | xargs)
  [ -n "$missing" ] || return 0
  if ! command -v apt-get >/dev/null; then
    echo "build.sh: target $target needs Debian packages ($missing) but apt-get is not available; install them by hand." >&2
    exit 1
  fi
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "build.sh: installing $missing for target $target"
  $sudo apt-get update -qq >/dev/null || true
  # apt on these images can delete downloaded archives between dpkg passes ("cannot access archive"); retry.
  local attempt
  for attempt in 1 2 3 4 5; do
    # shellcheck disable=SC2086
    if DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
      return 0
    fi
    echo "build.sh: apt-get install failed (attempt $attempt), retrying" >&2
    sleep $((attempt * 2))
  done
  echo "build.sh: could not install $missing" >&2
  exit 1
}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet tool restore >/dev/null
install_debian_packages
exec dotnet cake build.cake "$@"
