#!/usr/bin/env bash
# Fetches the pinned chDB engine library (libchdb.so) from the npm registry, verifies it by
# sha256 and caches it outside the repository. Prints the library's path on stdout.
#
#   scripts/fetch-chdb.sh            # download if missing, print path
#   CHDB_LIBRARY=/path/libchdb.so    # use this file instead (still verified)
#   CHDB_CACHE_DIR=/dir              # cache location (default ~/.cache/github-events-stats)
set -euo pipefail

VERSION="26.7.3-stable.1"
PACKAGE="@chdb/lib-linux-x64-gnu@${VERSION}"
TARBALL_SHA256="c0d32b129e988f2b9a9a31c9141aecf5e1e2453f9a079efc4d36ab8e3f92b2ad"
LIB_SHA256="36ad4e999882821ef13cf2d0f52c93f48e6ee1b4498b35a201c23ce4b8d15bf5"

log() { echo "fetch-chdb: $*" >&2; }
die() { log "error: $*"; exit 1; }

verify() { # file expected-sha256
  local actual
  actual=$(sha256sum "$1" | cut -d' ' -f1)
  [[ "$actual" == "$2" ]] || die "sha256 mismatch for $1: expected $2, got $actual"
}

if [[ -n "${CHDB_LIBRARY:-}" ]]; then
  [[ -r "$CHDB_LIBRARY" ]] || die "CHDB_LIBRARY=$CHDB_LIBRARY is not a readable file"
  verify "$CHDB_LIBRARY" "$LIB_SHA256"
  echo "$CHDB_LIBRARY"
  exit 0
fi

cache="${CHDB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/github-events-stats}/chdb-${VERSION}"
lib="$cache/libchdb.so"
if [[ -f "$lib" && -f "$lib.verified" ]]; then
  echo "$lib"
  exit 0
fi

command -v npm >/dev/null || die "npm is needed to fetch $PACKAGE (apt-get install npm)"
mkdir -p "$cache"
work=$(mktemp -d "$cache/.download.XXXXXX")
trap 'rm -rf "$work"' EXIT

log "downloading $PACKAGE (~180 MB) ..."
tarball=$(cd "$work" && npm pack --silent "$PACKAGE" 2>/dev/null | tail -n 1)
[[ -f "$work/$tarball" ]] || die "npm pack $PACKAGE produced no tarball"
verify "$work/$tarball" "$TARBALL_SHA256"
tar -xzf "$work/$tarball" -C "$work" package/libchdb.so
verify "$work/package/libchdb.so" "$LIB_SHA256"
mv "$work/package/libchdb.so" "$lib"
touch "$lib.verified"
log "cached $lib"
echo "$lib"
