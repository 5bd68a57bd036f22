#!/usr/bin/env bash
# bench/provisioned_watch.sh KUBECONFIG OUT: keeps in the file OUT how many UserSessions report condition
# Provisioned True, from one watch of the UserSessions (the API server first sends every existing session as
# ADDED, then each change), until killed. OUT is rewritten at every change of the count; a reader may find it
# empty while it is rewritten. A watch the server closes (its timeout is 30 to 60 min) is opened again.
# controller_bench.sh runs it in a process group of its own and stops the group.
# jq keeps the set of provisioned names and prints its size after every event, unbuffered (mawk, Debian's
# awk, would hold a pipe's last lines in its input buffer).
set -uo pipefail
kubeconfig=$1 out=$2
echo 0 >"$out"
while :; do
  kubectl --kubeconfig "$kubeconfig" get --raw "/apis/sessiongate.io/v1alpha1/usersessions?watch=1" || sleep 1
done |
  jq -n --unbuffered 'foreach (inputs | select(.type == "ADDED" or .type == "MODIFIED" or .type == "DELETED")) as $event
      ({};
       ($event.object.metadata.name) as $name |
       if $event.type != "DELETED" and
          any($event.object.status.conditions[]?; .type == "Provisioned" and .status == "True")
       then .[$name] = true else del(.[$name]) end;
       length)' |
  {
    last=
    while read -r count; do
      [[ $count == "$last" ]] && continue
      printf '%s\n' "$count" >"$out"
      last=$count
    done
  }
