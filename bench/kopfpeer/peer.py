"""The kopf operator bench/controller_bench.sh measures sessiongate-controller against.

It provisions each UserSession with the objects sessiongate-controller makes, taken from the controller's own
builders: `bench-ceiling --dump-children` runs as a co-process, reads each stored UserSession on stdin and
answers with its plan (Namespace, ResourceQuota, LimitRange, NetworkPolicies, RoleBinding, worker Pod, the
LoadBalancer Service when exposed, and the status). Written the way a kopf user would write it: one creation
handler that creates the children and sets the status through kopf's patch, one deletion handler behind
kopf's finalizer that deletes the namespace and returns when a watch (a kopf index on the session
namespaces) has seen it go. Every kopf setting is left at its default (event posting included).

Run by controller_bench.sh as:
  KUBECONFIG=FILE SESSIONGATE_PLANNER="bench-ceiling --kubeconfig FILE --dump-children" \
  SESSIONGATE_COUNTER_PORT=PORT PYTHONPATH=bench/kopfpeer \
      kopf run --standalone --all-namespaces bench/kopfpeer/peer.py
SESSIONGATE_COUNTER_PORT: request_counter.py serves the number of API requests made so far there (the bench's
equivalent of the controller's sessiongate_controller_api_requests_total).
"""
import asyncio
import json
import os
import shlex
import subprocess
import threading

import kopf
import kubernetes
from kubernetes import utils

import request_counter

GROUP, VERSION, PLURAL = "sessiongate.io", "v1alpha1", "usersessions"

# Counting starts at import, before kopf opens its first connection.
if os.environ.get("SESSIONGATE_COUNTER_PORT"):
    request_counter.install(int(os.environ["SESSIONGATE_COUNTER_PORT"]))
SESSION_LABEL = "sessiongate.io/session"


class Planner:
    """The bench-ceiling --dump-children co-process: one stored UserSession in, one plan out."""

    def __init__(self, argv):
        self._proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self._lock = threading.Lock()

    def plan(self, body):
        with self._lock:
            self._proc.stdin.write(json.dumps(body) + "\n")
            self._proc.stdin.flush()
            line = self._proc.stdout.readline()
        if not line:
            raise kopf.PermanentError(
                f"the planner co-process exited (status {self._proc.poll()}); see its stderr in the kopf log")
        plan = json.loads(line)
        if "error" in plan:
            raise kopf.PermanentError(plan["error"])
        return plan

    def close(self):
        self._proc.stdin.close()
        self._proc.wait()


@kopf.on.startup()
async def start(memo, **_):
    planner = os.environ.get("SESSIONGATE_PLANNER")
    if not planner:
        raise kopf.PermanentError(
            "SESSIONGATE_PLANNER is not set: give the bench-ceiling --dump-children command line")
    kubernetes.config.load_kube_config()
    memo.api = kubernetes.client.ApiClient()
    memo.planner = Planner(shlex.split(planner))
    memo.namespaces_changed = asyncio.Condition()


@kopf.on.cleanup()
async def stop(memo, **_):
    memo.planner.close()


@kopf.index("v1", "namespaces", labels={SESSION_LABEL: kopf.PRESENT})
def session_namespaces(name, labels, **_):
    """The namespaces of each session, from kopf's watch of the labelled namespaces."""
    return {labels[SESSION_LABEL]: name}


@kopf.on.event("v1", "namespaces", labels={SESSION_LABEL: kopf.PRESENT})
async def namespace_event(memo, **_):
    async with memo.namespaces_changed:
        memo.namespaces_changed.notify_all()


@kopf.on.create(GROUP, VERSION, PLURAL)
def provision(body, patch, memo, logger, **_):
    plan = memo.planner.plan(dict(body))
    for child in plan["children"]:
        try:
            utils.create_from_dict(memo.api, child)
        except utils.FailToCreateError as e:
            # A retry after a partial failure finds the first children in place.
            if any(err.status != 409 for err in e.api_exceptions):
                raise
    for key, value in plan["status"].items():
        patch.status[key] = value
    logger.info(f"namespace {plan['namespace']} and its objects are ready")


@kopf.on.delete(GROUP, VERSION, PLURAL)
async def release(name, memo, logger, session_namespaces: kopf.Index, **_):
    core = kubernetes.client.CoreV1Api(memo.api)
    namespaces = list(session_namespaces.get(name, []))
    for ns in namespaces:
        try:
            await asyncio.to_thread(core.delete_namespace, ns)
        except kubernetes.client.ApiException as e:
            if e.status != 404:
                raise
    # kopf removes its finalizer once this returns: the session goes when its namespaces are gone.
    async with memo.namespaces_changed:
        await memo.namespaces_changed.wait_for(
            lambda: not any(ns in session_namespaces.get(name, []) for ns in namespaces))
    logger.info(f"namespaces {', '.join(namespaces) or '(none)'} are gone")
