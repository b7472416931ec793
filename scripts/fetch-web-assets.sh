#!/usr/bin/env bash
# Fetches the dashboard's chart library (Apache ECharts, pinned; its "common" build: line, bar, scatter
# and the components the dashboard uses, 0.7 MB against the full build's 1.1 MB, which the page must
# parse before its first chart) from the npm registry, verifies it
# by sha256, caches it outside the repository, and copies it into the directory given, which the
# Maven build points at target/classes/META-INF/resources/vendor (the service serves it; no CDN).
#
#   scripts/fetch-web-assets.sh OUT_DIR
#   CHDB_CACHE_DIR=/dir    # cache location, shared with fetch-chdb.sh (default ~/.cache/github-events-stats)
set -euo pipefail

VERSION="6.0.0"
PACKAGE="echarts@${VERSION}"
TARBALL_SHA256="5776a250a33c375f794d796f661d7b88ca36ec5fb16dbff374dd25bf5a64b26b"
FILE_SHA256="fd958f318b139893918674790290fcd73d19d953b91175d5277250ffaa177d8e"

NAME=fetch-web-assets
source "$(dirname "$0")/npm-fetch.sh"

out="${1:?usage: fetch-web-assets.sh OUT_DIR}"
cache="$cache_root/echarts-${VERSION}"
js="$cache/echarts.common.min.js"

if [[ ! -f "$js.verified" ]]; then
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/.download.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  npm_extract "$PACKAGE" "$TARBALL_SHA256" "$work" dist/echarts.common.min.js LICENSE NOTICE
  verify "$work/package/dist/echarts.common.min.js" "$FILE_SHA256"
  mv "$work/package/LICENSE" "$cache/LICENSE"
  mv "$work/package/NOTICE" "$cache/NOTICE"
  mv "$work/package/dist/echarts.common.min.js" "$js"
  touch "$js.verified"
fi

mkdir -p "$out"
cp "$js" "$out/echarts-${VERSION}.common.min.js"
cp "$cache/LICENSE" "$out/echarts-LICENSE"
cp "$cache/NOTICE" "$out/echarts-NOTICE"
