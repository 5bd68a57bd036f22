#!/usr/bin/env bash
# bench/kopfpeer/venv.sh: prints the path of a virtualenv holding requirements.txt (kopf and its pinned
# dependencies), creating it under ${SESSIONGATE_CACHE:-$HOME/.cache/sessiongate}/bench-venv the first time or
# when requirements.txt changed. Exits 1 with the reason on stderr when python3, its venv module or PyPI is
# missing; controller_bench.sh then skips the kopf phase.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=${SESSIONGATE_CACHE:-$HOME/.cache/sessiongate}/bench-venv
STAMP=$VENV/.requirements.sha256
want=$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)
if ! command -v python3 >/dev/null; then
  echo "python3 is not installed (the kopf peer needs Python 3.10 or later)" >&2
  exit 1
fi
if [[ -x $VENV/bin/kopf && -f $STAMP && $(cat "$STAMP") == "$want" ]]; then
  echo "$VENV"
  exit 0
fi
mkdir -p "$(dirname "$VENV")"
if ! python3 -m venv --clear "$VENV" >&2; then
  echo "python3 -m venv $VENV failed: install Python's venv module (Debian: python3-venv)" >&2
  exit 1
fi
if ! "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$HERE/requirements.txt" >&2; then
  echo "pip could not install bench/kopfpeer/requirements.txt into $VENV: is PyPI reachable (proxy, offline)?" >&2
  exit 1
fi
echo "$want" >"$STAMP"
echo "$VENV"
