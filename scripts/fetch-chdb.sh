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

NAME=fetch-chdb
source "$(dirname "$0")/npm-fetch.sh"

if [[ -n "${CHDB_LIBRARY:-}" ]]; then
  [[ -r "$CHDB_LIBRARY" ]] || die "CHDB_LIBRARY=$CHDB_LIBRARY is not a readable file"
  verify "$CHDB_LIBRARY" "$LIB_SHA256"
  echo "$CHDB_LIBRARY"
  exit 0
fi

cache="$cache_root/chdb-${VERSION}"
lib="$cache/libchdb.so"
if [[ -f "$lib" && -f "$lib.verified" ]]; then
  echo "$lib"
  exit 0
fi

mkdir -p "$cache"
work=$(mktemp -d "$cache/.download.XXXXXX")
trap 'rm -rf "$work"' EXIT

# the package is ~180 MB
npm_extract "$PACKAGE" "$TARBALL_SHA256" "$work" libchdb.so
verify "$work/package/libchdb.so" "$LIB_SHA256"
mv "$work/package/libchdb.so" "$lib"
touch "$lib.verified"
log "cached $lib"
echo "$lib"
