#!/usr/bin/env bash
# Fetches the dashboard's chart library (Apache ECharts, pinned) from the npm registry, verifies it
# by sha256, caches it outside the repository, and copies it into the directory given, which the
# Maven build points at target/classes/META-INF/resources/vendor (the service serves it; no CDN).
#
#   scripts/fetch-web-assets.sh OUT_DIR
#   CHDB_CACHE_DIR=/dir    # cache location, shared with fetch-chdb.sh (default ~/.cache/github-events-stats)
set -euo pipefail

VERSION="6.0.0"
PACKAGE="echarts@${VERSION}"
TARBALL_SHA256="5776a250a33c375f794d796f661d7b88ca36ec5fb16dbff374dd25bf5a64b26b"
FILE_SHA256="baa8dfe7e1d9336b98e8986ba7e20ea15e7cdbea1ef42a59d59478632fa45a1d"

log() { echo "fetch-web-assets: $*" >&2; }
die() { log "error: $*"; exit 1; }

out="${1:?usage: fetch-web-assets.sh OUT_DIR}"
cache="${CHDB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/github-events-stats}/echarts-${VERSION}"
js="$cache/echarts.min.js"

if [[ ! -f "$js.verified" ]]; then
  command -v npm >/dev/null || die "npm is needed to fetch $PACKAGE (apt-get install npm)"
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/.download.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  log "downloading $PACKAGE ..."
  tarball=$(cd "$work" && npm pack --silent "$PACKAGE" 2>/dev/null | tail -n 1)
  [[ -f "$work/$tarball" ]] || die "npm pack $PACKAGE produced no tarball"
  [[ "$(sha256sum "$work/$tarball" | cut -d' ' -f1)" == "$TARBALL_SHA256" ]] || die "sha256 mismatch for $tarball"
  tar -xzf "$work/$tarball" -C "$work" package/dist/echarts.min.js package/LICENSE package/NOTICE
  [[ "$(sha256sum "$work/package/dist/echarts.min.js" | cut -d' ' -f1)" == "$FILE_SHA256" ]] \
    || die "sha256 mismatch for echarts.min.js"
  mv "$work/package/LICENSE" "$cache/LICENSE"
  mv "$work/package/NOTICE" "$cache/NOTICE"
  mv "$work/package/dist/echarts.min.js" "$js"
  touch "$js.verified"
fi

mkdir -p "$out"
cp "$js" "$out/echarts-${VERSION}.min.js"
cp "$cache/LICENSE" "$out/echarts-LICENSE"
cp "$cache/NOTICE" "$out/echarts-NOTICE"
