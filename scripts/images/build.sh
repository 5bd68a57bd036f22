#!/usr/bin/env bash
# build.sh OUTDIR [BUILD_DIR]: build the node's images offline, with no registry and no Docker, as OCI layout
# tars that `ctr -n k8s.io images import` takes (scripts/node/up.sh imports them):
#
#   OUTDIR/pause.tar        sessiongate.local/pause:1    the pod sandbox (pause.c, static)
#   OUTDIR/testbox.tar      sessiongate.local/testbox:1  busybox-static with every applet linked, for test
#                                                        workers; /usr/local/bin/gateway is the gateway stand-in,
#                                                        /bin/client_{init,sidecar}.sh the injected gateway
#                                                        containers' stand-ins (gateway_client.sh)
#   OUTDIR/sessiongate.tar  ghcr.io/sessiongate/sessiongate:0.1.0 (only with BUILD_DIR): the binaries found in
#                           BUILD_DIR under /usr/local/bin/ as in the Dockerfile, with the shared libraries
#                           `ldd` lists, run as uid 65532; sessiongate-tracker carries the file capability
#                           cap_net_raw+ep (a security.capability xattr in the layer), as in the Dockerfile
#   OUTDIR/metallb-*.tar    quay.io/metallb/{controller,speaker}:v0.15.2 (only with METALLB_BIN_DIR, holding
#                           metallb-controller and metallb-speaker from scripts/node/build.sh): upstream's
#                           names and entrypoints, so upstream's install manifest runs unchanged
#
# Each tar is one uncompressed layer, built reproducibly (sorted, owner 0, mtime 0): the same inputs give the
# same image digest, so importing again is a no-op for containerd.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[[ $# -ge 1 ]] || { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
mkdir -p "$1"
OUT="$(cd "$1" && pwd)"
BUILD_DIR="${2:-}"
PAUSE_IMAGE=sessiongate.local/pause:1
TEST_IMAGE=sessiongate.local/testbox:1
SESSIONGATE_IMAGE=ghcr.io/sessiongate/sessiongate:0.1.0
SESSIONGATE_BINARIES=(sessiongate-webhook sessiongate-controller sessiongatectl sessiongate-tracker)

log() { printf '[images %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# oci_tar NAME ROOTFS OUT.tar CONFIG-JSON: packs ROOTFS as the one layer of image NAME, with CONFIG-JSON as
# the image's run configuration ({"Entrypoint": [...], ...}), into an OCI layout tar.
oci_tar() {
  local name="$1" rootfs="$2" out="$3" runcfg="$4" lay="$WORK/layout-$RANDOM"
  mkdir -p "$lay/blobs/sha256"
  tar -C "$rootfs" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=posix \
    --xattrs --xattrs-include=security.capability \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -cf "$lay/layer.tar" .
  local layer_digest layer_size config_digest config_size manifest_digest manifest_size
  layer_digest=$(sha "$lay/layer.tar"); layer_size=$(stat -c %s "$lay/layer.tar")
  mv "$lay/layer.tar" "$lay/blobs/sha256/$layer_digest"
  printf '{"architecture":"amd64","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$runcfg" "$layer_digest" > "$lay/config.json"
  config_digest=$(sha "$lay/config.json"); config_size=$(stat -c %s "$lay/config.json")
  mv "$lay/config.json" "$lay/blobs/sha256/$config_digest"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
    "$config_digest" "$config_size" "$layer_digest" "$layer_size" > "$lay/manifest.json"
  manifest_digest=$(sha "$lay/manifest.json"); manifest_size=$(stat -c %s "$lay/manifest.json")
  mv "$lay/manifest.json" "$lay/blobs/sha256/$manifest_digest"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$manifest_digest" "$manifest_size" "$name" "${name##*:}" > "$lay/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$lay/oci-layout"
  tar -C "$lay" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$out.tmp" oci-layout index.json blobs
  mv -f "$out.tmp" "$out"
  log "$name -> $out ($(du -h "$out" | cut -f1), layer sha256:${layer_digest:0:12})"
}

# A non-root user and the few files every image needs.
base_rootfs() {
  mkdir -p "$1/etc" "$1/tmp" "$1/proc" "$1/sys" "$1/dev"
  chmod 1777 "$1/tmp"
  printf 'root:x:0:0:root:/:/bin/sh\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$1/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' > "$1/etc/group"
}

# ---------------------------------------------------------------- pause
root="$WORK/pause"; base_rootfs "$root"
gcc -static -Os -s -o "$root/pause" "$HERE/pause.c"
oci_tar "$PAUSE_IMAGE" "$root" "$OUT/pause.tar" '{"Entrypoint":["/pause"],"User":"65535:65535"}'

# ---------------------------------------------------------------- testbox
BUSYBOX=/bin/busybox
file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' || [[ ! -x /usr/bin/file ]] \
  || { log "$BUSYBOX is not static: install busybox-static (scripts/deps.sh)"; exit 1; }
root="$WORK/testbox"; base_rootfs "$root"
mkdir -p "$root/bin" "$root/usr/local/bin" "$root/home/nonroot"
chown 65532:65532 "$root/home/nonroot"
cp "$BUSYBOX" "$root/bin/busybox"
for applet in $("$BUSYBOX" --list); do
  [[ "$applet" == busybox ]] || ln -sf busybox "$root/bin/$applet"
done
install -m 0755 "$HERE/gateway.sh" "$root/usr/local/bin/gateway"
install -m 0755 "$HERE/gateway_client.sh" "$root/bin/client_init.sh"
install -m 0755 "$HERE/gateway_client.sh" "$root/bin/client_sidecar.sh"
oci_tar "$TEST_IMAGE" "$root" "$OUT/testbox.tar" \
  '{"Entrypoint":["/bin/sh"],"Env":["PATH=/usr/local/bin:/bin"],"WorkingDir":"/"}'

# ---------------------------------------------------------------- sessiongate
if [[ -n "$BUILD_DIR" ]]; then
  root="$WORK/sessiongate"; base_rootfs "$root"
  mkdir -p "$root/usr/local/bin" "$root/home/nonroot"
  found=()
  for b in "${SESSIONGATE_BINARIES[@]}"; do
    f=$(find "$BUILD_DIR" -type f -name "$b" -perm -u+x 2>/dev/null | head -n1)
    [[ -n "$f" ]] || continue
    install -m 0755 -s "$f" "$root/usr/local/bin/$b"
    found+=("$b")
  done
  ((${#found[@]} >= 3)) || { log "sessiongate binaries not found in $BUILD_DIR (build them first)"; exit 1; }
  # As in the Dockerfile: the tracker captures as non-root with CAP_NET_RAW from this file capability, which
  # the layer keeps as a security.capability xattr (oci_tar) and containerd sets again when it unpacks it.
  if [[ -f $root/usr/local/bin/sessiongate-tracker ]]; then
    setcap cap_net_raw+ep "$root/usr/local/bin/sessiongate-tracker"
  fi
  # The shared libraries and the loader, at the paths ldd names, resolved from symlinks.
  libs=$(for b in "${found[@]}"; do ldd "$root/usr/local/bin/$b"; done \
    | awk '/not found/{print "MISSING " $1} $2=="=>" && $3 ~ /^\//{print $3} $1 ~ /^\//{print $1}' | sort -u)
  if grep -q '^MISSING' <<<"$libs"; then log "unresolved libraries: $(grep '^MISSING' <<<"$libs" | tr '\n' ' ')"; exit 1; fi
  for l in $libs; do
    mkdir -p "$root$(dirname "$l")"
    cp -L "$l" "$root$l"
  done
  if [[ -d /etc/ssl/certs && -f /etc/ssl/certs/ca-certificates.crt ]]; then
    mkdir -p "$root/etc/ssl/certs"; cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
  fi
  oci_tar "$SESSIONGATE_IMAGE" "$root" "$OUT/sessiongate.tar" \
    '{"Entrypoint":["/usr/local/bin/sessiongate-webhook"],"User":"65532:65532","Env":["PATH=/usr/local/bin"],"WorkingDir":"/home/nonroot"}'
fi
# ---------------------------------------------------------------- metallb
if [[ -n "${METALLB_BIN_DIR:-}" ]]; then
  for part in controller speaker; do
    root="$WORK/metallb-$part"; base_rootfs "$root"
    install -m 0755 "$METALLB_BIN_DIR/metallb-$part" "$root/$part"
    oci_tar "quay.io/metallb/$part:v0.15.2" "$root" "$OUT/metallb-$part.tar" \
      "{\"Entrypoint\":[\"/$part\"]}"
  done
fi
echo "$OUT"
