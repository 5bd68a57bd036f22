#!/usr/bin/env bash
# make demo: a local control plane (built on first use), the webhook and the controller from the build tree,
# the default SessionPolicy, and what alice and bob see when they use sessions with kubectl. Everything is
# stopped and removed on exit, even after a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
E2E_BUILD_DIR=${1:-build}
source tests/e2e/lib.sh

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@" 2>&1 | sed 's/^/  /' || true; }

CONTROLLER_PID=
stop_controller() { [[ -n $CONTROLLER_PID ]] && kill -TERM "$CONTROLLER_PID" 2>/dev/null && wait "$CONTROLLER_PID" 2>/dev/null; return 0; }
trap 'stop_controller; e2e_cleanup' EXIT

say "Starting a local Kubernetes v1.32.4 control plane, the CRDs, RBAC and the webhook"
e2e_up
trap 'stop_controller; e2e_cleanup' EXIT

if [[ -x $E2E_BUILD_DIR/controller/sessiongate-controller ]]; then
  "$E2E_BUILD_DIR/controller/sessiongate-controller" --kubeconfig "$KUBECONFIG_CONTROLLER" \
    --metrics-listen "127.0.0.1:$(e2e_free_port)" >"$E2E_DIR/controller.log" 2>&1 &
  CONTROLLER_PID=$!
  e2e_log "controller started (pid $CONTROLLER_PID)"
fi

alice() { kas alice "$@"; }
bob() { kas bob "$@"; }

say "The admin applies the SessionPolicy (policies/default.yaml)"
show kadmin apply -f policies/default.yaml
show kadmin get sessionpolicy default
sleep 1

say "alice starts a shell session and a Jupyter session exposing port 8888"
show alice apply -f - <<'Y'
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata: {name: alice-shell}
spec: {user: alice, profile: shell}
Y
show alice apply -f - <<'Y'
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata: {name: alice-lab}
spec:
  user: alice
  profile: jupyter
  image: quay.io/jupyter/scipy-notebook:2024-10-07
  publicExposure:
    ports:
      - {name: notebook, targetPort: 8888}
Y

say "bob tries to start a session for alice, then one with a profile that does not exist"
show bob apply -f - <<'Y'
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata: {name: bob-sneaky}
spec: {user: alice, profile: shell}
Y
show bob apply -f - <<'Y'
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata: {name: bob-1}
spec: {user: bob, profile: quantum, ttl: 99h}
Y

say "bob asks for a port the policy reserves; then two ports with the same number (the CRD schema refuses that)"
show bob apply -f - <<'Y'
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata: {name: bob-web}
spec:
  user: bob
  profile: jupyter
  publicExposure:
    ports:
      - {name: ssh, targetPort: 22, port: 22}
      - {name: web, targetPort: 8080, port: 8080}
Y
show bob apply -f - <<'Y'
apiVersion: sessiongate.io/v1alpha1
kind: UserSession
metadata: {name: bob-web}
spec:
  user: bob
  profile: jupyter
  publicExposure:
    ports:
      - {name: web, targetPort: 8080, port: 8080}
      - {name: web2, targetPort: 8081, port: 8080}
Y

if [[ -n $CONTROLLER_PID ]]; then
  say "The controller provisions the sessions (no kubelet here: pods stay Pending, so a session stays Provisioning with WorkerReady False; Ready means its worker pod is Ready)"
  for _ in $(seq 60); do
    provisioned=$(kadmin get us alice-lab -o jsonpath='{.status.phase}/{.status.conditions[?(@.type=="Provisioned")].status}' 2>/dev/null || true)
    [[ $provisioned == */True || $provisioned == Error/* ]] && break
    sleep 0.5
  done
  show alice get us
  show kadmin get ns -l sessiongate.io/session
  show kadmin get resourcequota,limitrange,networkpolicy,rolebinding,pod,service -n sess-alice-lab
else
  say "alice's sessions (no controller binary in $E2E_BUILD_DIR)"
  show alice get us
  kadmin create namespace sess-alice-lab >/dev/null
  kadmin label namespace sess-alice-lab sessiongate.io/session=alice-lab sessiongate.io/user=alice >/dev/null
  sleep 1
fi

POD=worker
if [[ -z $CONTROLLER_PID ]]; then
  POD=demo
  kas controller apply -n sess-alice-lab -f - >/dev/null <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: demo}
spec:
  containers:
    - {name: app, image: quay.io/jupyter/scipy-notebook:2024-10-07}
Y
fi
say "alice-lab's pod as stored: the webhook added the gateway, storage, labels and default resources"
show kadmin get pod "$POD" -n sess-alice-lab -o jsonpath='{"labels:         "}{.metadata.labels}{"\n"}{"initContainers: "}{.spec.initContainers[*].name}{"\n"}{"containers:     "}{.spec.containers[*].name}{"\n"}{"volumes:        "}{.spec.volumes[*].name}{" -> "}{.spec.volumes[?(@.name=="mydrive")].nfs}{"\n"}{"nameservers:    "}{.spec.dnsConfig.nameservers}{"\n"}{"app resources:  "}{.spec.containers[0].resources}{"\n"}'
if [[ -n $CONTROLLER_PID ]]; then
  say "What the controller reported to alice"
  show alice get us alice-lab -o jsonpath='{"phase: "}{.status.phase}{"\nnamespace: "}{.status.namespace}{"\nexpiresAt: "}{.status.expiresAt}{"\nexposure: "}{.status.publicExposure}{"\n"}'
  show kadmin get events -n default --field-selector involvedObject.name=alice-lab
fi

say "Sessions are sandboxes: alice tries a privileged pod in her session, bob tries to delete alice's session; alice may not create NetworkPolicies in her session (RBAC)"
show alice apply -n sess-alice-lab -f - <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: root-shell}
spec:
  hostNetwork: true
  containers:
    - name: shell
      image: quay.io/jupyter/scipy-notebook:2024-10-07
      securityContext: {privileged: true}
Y
show bob delete us alice-lab --wait=false
show kas alice auth can-i create networkpolicies -n sess-alice-lab
show alice get us alice-lab -o jsonpath='{"alice-lab is still there: "}{.metadata.name}{"\n"}'

say "alice ends her sessions"
show alice delete us alice-shell alice-lab --wait=false
if [[ -n $CONTROLLER_PID ]]; then
  for _ in $(seq 60); do
    [[ -z $(kadmin get us -o name 2>/dev/null) ]] && break
    sleep 0.5
  done
  show alice get us
  show kadmin get ns -l sessiongate.io/session
fi
say "Demo done; stopping everything"
