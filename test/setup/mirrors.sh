#!/usr/bin/env bash
# The local PyPI + Maven mirror that the rewrite Docker tests' Python and Maven samples install from
# (PyPI and Maven Central are unreachable on the offline build machines; the images made by
# ../shared/offline-images/make-images.sh point pip and Maven at http://172.17.0.1:8765).
# Idempotent: make-images.sh serve-mirrors does nothing when the mirror already answers. On machines
# without the offline image kit, pip and Maven reach their public repositories and nothing is needed.
set -Eeuo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
make_images=${MAKE_IMAGES:-$repo_root/../shared/offline-images/make-images.sh}
log() { printf '[setup/mirrors] %s\n' "$*" >&2; }

if [ ! -x "$make_images" ]; then
  log "no offline image kit ($make_images): pip and Maven use their public repositories"
  exit 0
fi
if [ ! -d /opt/pypi ] && [ ! -d "$HOME/.m2/repository" ]; then
  log "no /opt/pypi or ~/.m2/repository to serve: the Python and Maven samples will report SKIPPED/failed"
  exit 0
fi
"$make_images" serve-mirrors >&2
curl -fsS -o /dev/null -m 5 http://172.17.0.1:8765/ && log "mirror answers on http://172.17.0.1:8765/"
