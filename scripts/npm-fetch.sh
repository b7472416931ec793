# Shared by the fetch-*.sh scripts (sourced): pinned npm packages, verified by sha256, cached outside
# the repository. The caller sets NAME (its log prefix) before sourcing.

log() { echo "$NAME: $*" >&2; }
die() { log "error: $*"; exit 1; }

verify() { # file expected-sha256
  local actual
  actual=$(sha256sum "$1" | cut -d' ' -f1)
  [[ "$actual" == "$2" ]] || die "sha256 mismatch for $1: expected $2, got $actual"
}

# The cache root every fetched file lives under (the service reads CHDB_CACHE_DIR the same way).
cache_root="${CHDB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/github-events-stats}"

# Packs PACKAGE from the registry into DIR, checks the tarball and extracts the given paths
# (relative to the package) under DIR/package.
npm_extract() { # package tarball-sha256 dir path...
  local package="$1" sha="$2" dir="$3" tarball
  shift 3
  command -v npm >/dev/null || die "npm is needed to fetch $package (apt-get install npm)"
  log "downloading $package ..."
  tarball=$(cd "$dir" && npm pack --silent "$package" 2>/dev/null | tail -n 1)
  [[ -f "$dir/$tarball" ]] || die "npm pack $package produced no tarball"
  verify "$dir/$tarball" "$sha"
  tar -xzf "$dir/$tarball" -C "$dir" "${@/#/package/}"
}
