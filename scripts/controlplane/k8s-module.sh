# shellcheck shell=bash
# The pinned Kubernetes release as a Go module, shared by scripts/controlplane/build.sh (kube-apiserver,
# kube-controller-manager) and scripts/node/build.sh (kubelet, kube-scheduler, kube-proxy): the same
# version, the same pinned sums and the same wrapper go.mod, so both builds select the same module
# versions and share the Go build cache. Source it; it defines variables and functions only.

K8S_VERSION=v1.32.4
# The checksum database as reached through proxy.golang.org answers 404 for a few of these exact
# versions (k8s.io/kubernetes@v1.32.4, k8s.io/controller-manager@v0.32.4; neighbouring releases are
# present), so it cannot vouch for them. For those modules only we skip the sumdb (GONOSUMDB) and
# pin their hashes here instead; go verifies the downloaded zip and go.mod against go.sum.
# Format: module version zip-hash go.mod-hash
PINNED_SUMS="
k8s.io/kubernetes v1.32.4 h1:fRZeSjwVE+dMMSS7Qi6LxOOKpVL+1CPAT/b1Cuo4kns= h1:GvhiBeolvSRzBpFlgM0z/Bbu3Oxs9w3P6XfEgYaMi8k=
k8s.io/controller-manager v0.32.4 h1:d28eOhPJyK+dBNpx1hTnuLBpAoXBjCknDAiajaK2hKk= h1:WCczuc0Npi1EsS4adruBaeknzhXQ/DhFZe5zII7RpUc=
"

# k8s_module_env: the go environment every build of the pinned release uses.
k8s_module_env() {
  export GOFLAGS="-mod=mod ${GOFLAGS:-}"
  export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
  local nosum
  nosum=$(awk 'NF==4{printf "%s%s", sep, $1; sep=","}' <<<"$PINNED_SUMS")
  export GONOSUMDB="$nosum${GONOSUMDB:+,$GONOSUMDB}"
}

# k8s_module_write DIR MODNAME: writes DIR/go.mod (requires k8s.io/kubernetes, one `replace X => X v0.N.M`
# per staging module, read from the replace block of k8s.io/kubernetes's own go.mod) and DIR/go.sum (the
# pinned sums). The caller adds tools.go and runs go mod tidy. Logs with `log` if the caller defines it.
k8s_module_write() {
  local dir="$1" modname="$2"
  local k8s_sum k8s_gomod_sum dl_json gomod_file staging staging_version m
  k8s_sum=$(awk '$1=="k8s.io/kubernetes"{print $3}' <<<"$PINNED_SUMS")
  k8s_gomod_sum=$(awk '$1=="k8s.io/kubernetes"{print $4}' <<<"$PINNED_SUMS")
  mkdir -p "$dir"
  dl_json=$(cd "$dir" && GOFLAGS= go mod download -json "k8s.io/kubernetes@$K8S_VERSION")
  jget() { sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}\$/\1/p" <<<"$dl_json"; }
  if [[ -n "$(jget Error)" ]]; then echo "download failed: $(jget Error)" >&2; return 1; fi
  if [[ "$(jget Sum)" != "$k8s_sum" || "$(jget GoModSum)" != "$k8s_gomod_sum" ]]; then
    echo "checksum mismatch for k8s.io/kubernetes@$K8S_VERSION: got $(jget Sum) $(jget GoModSum)" >&2; return 1
  fi
  gomod_file=$(jget GoMod)
  [[ -f "$gomod_file" ]] || { echo "could not locate go.mod of k8s.io/kubernetes@$K8S_VERSION" >&2; return 1; }
  staging_version="v0.${K8S_VERSION#v1.}"   # v1.32.4 -> v0.32.4
  # Every "X => ./staging/src/X" replace in k8s's go.mod becomes "X => X v0.32.4".
  staging=$(awk '
    /^replace[[:space:]]*\(/ {inblk=1; next}
    inblk && /^\)/ {inblk=0; next}
    inblk && $2=="=>" && $3 ~ /^\.\/staging\/src\// {print $1}
    /^replace[[:space:]]+[^(]/ && $3=="=>" && $4 ~ /^\.\/staging\/src\// {print $2}
  ' "$gomod_file" | sort -u)
  [[ -n "$staging" ]] || { echo "no staging replace lines found in $gomod_file" >&2; return 1; }
  {
    echo "module $modname"
    echo
    echo "go 1.23.0"
    echo
    echo "godebug default=go1.23"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    for m in $staging; do echo "	$m => $m $staging_version"; done
    echo ")"
  } > "$dir/go.mod"
  awk 'NF==4{print $1" "$2" "$3; print $1" "$2"/go.mod "$4}' <<<"$PINNED_SUMS" > "$dir/go.sum"
}

# k8s_ldflags: the -ldflags that stamp the release into the binaries (what `--version` prints).
k8s_ldflags() {
  local minor="${K8S_VERSION#v1.}" date p ldf="-s -w"
  minor="${minor%%.*}"
  date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldf+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ldf+=" -X $p.gitTreeState=clean -X $p.buildDate=$date"
  done
  echo "$ldf"
}
