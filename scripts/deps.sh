#!/usr/bin/env bash
# Install the build/test dependencies of sessiongate from Debian 12 packages. Idempotent:
# does nothing (no apt-get update) when every package is already installed.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libssl-dev libcpp-httplib-dev nlohmann-json3-dev libspdlog-dev libfmt-dev catch2
  libyaml-cpp-dev libpcap-dev libsimdjson-dev libzstd-dev
  openssl curl iproute2 clang-format
  # make check builds the unit tests with clang, AddressSanitizer and UndefinedBehaviorSanitizer
  clang
  # ... whose sanitizer and libFuzzer runtimes are only a recommendation of clang, which this script skips
  libclang-rt-14-dev
  # used by scripts/controlplane: flock, pgrep/pkill-free process checks, ss
  util-linux procps ca-certificates
  # used by scripts/node and scripts/images: the real node (see scripts/node/README.md)
  containerd runc containernetworking-plugins busybox-static iptables ipset conntrack nftables
  # setcap: the tracker's file capability in the offline sessiongate image (scripts/images/build.sh)
  libcap2-bin
  # the broker e2e runs sessiongatectl session open behind websocketd (see cli/README.md)
  websocketd
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == installed ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

echo "deps: installing ${missing[*]}"
SUDO=
if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
echo "deps: done"
