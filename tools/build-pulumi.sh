#!/usr/bin/env bash
# Build (or reuse) the Pulumi CLI + a Python language host for local, offline runs.
#
# Usage: tools/build-pulumi.sh            -> last stdout line = directory holding
#                                            pulumi, pulumi-language-python,
#                                            pulumi-language-python-exec,
#                                            pulumi-resource-pulumi-python
#        PULUMI_BUILD_FORCE=1 tools/build-pulumi.sh   -> ignore PATH/cache, rebuild
#
# Sources come from the Go module proxy (pinned by tools/go.mod + tools/go.sum);
# nothing from upstream is committed. The engine version is the version of
# github.com/pulumi/pulumi/pkg/v3 required in tools/go.mod (single source of truth).
# The language host is our own tools/pulumi-language-python (upstream's module is
# not on the reachable proxy); the two helper scripts are copied at build time from
# the published github.com/pulumi/pulumi/sdk/v3 module in the Go module cache.
set -euo pipefail

TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf 'build-pulumi: %s\n' "$*" >&2; }

VERSION="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { sub(/^v/, "", $2); print $2; exit }' "$TOOLS_DIR/go.mod")"
[ -n "$VERSION" ] || { log "cannot read the pkg/v3 version from $TOOLS_DIR/go.mod"; exit 1; }
FILES=(pulumi pulumi-language-python pulumi-language-python-exec pulumi-resource-pulumi-python)

have_all() { local f; for f in "${FILES[@]}"; do [ -x "$1/$f" ] || return 1; done; }

# 1. A pulumi of exactly this version already on PATH, with a language host beside it.
if [ -z "${PULUMI_BUILD_FORCE:-}" ] && existing="$(command -v pulumi 2>/dev/null)"; then
    dir="$(cd "$(dirname "$existing")" && pwd)"
    if [ -x "$dir/pulumi-language-python" ] &&
        [ "$(PULUMI_SKIP_UPDATE_CHECK=true "$existing" version 2>/dev/null)" = "v$VERSION" ]; then
        log "using pulumi v$VERSION already on PATH"
        echo "$dir"
        exit 0
    fi
fi

# 2. The per-user cache. The key includes a hash of the recipe, so editing the
#    language host or go.sum never reuses stale binaries.
RECIPE_HASH="$(cat "$TOOLS_DIR/go.mod" "$TOOLS_DIR/go.sum" "$TOOLS_DIR/build-pulumi.sh" \
    "$TOOLS_DIR"/pulumi-language-python/*.go | sha256sum | cut -c1-12)"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-chime-sdk-identity"
DEST="$CACHE_ROOT/pulumi-v$VERSION-$RECIPE_HASH/bin"
if [ -z "${PULUMI_BUILD_FORCE:-}" ] && have_all "$DEST"; then
    log "reusing cached pulumi v$VERSION"
    echo "$DEST"
    exit 0
fi

# 3. Build.
command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null 2>&1 || { log "go toolchain not found"; exit 1; }
start=$(date +%s)
mkdir -p "$CACHE_ROOT"
# Leftovers of builds killed with SIGKILL (normal exits clean up via the trap).
find "$CACHE_ROOT" -maxdepth 1 \( -name '.build-*' -o -name 'pulumi-v*.tmp.*' \) -mmin +120 -exec rm -rf {} + 2>/dev/null || true
TMP="$(mktemp -d "$CACHE_ROOT/.build-XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/bin"
chmod 0755 "$TMP"

export GOWORK=off GOFLAGS=-mod=readonly CGO_ENABLED=0 GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
cd "$TOOLS_DIR"
log "building pulumi v$VERSION with $(go version | cut -d' ' -f3) (-p ${PULUMI_BUILD_JOBS:-2})"
go build -p "${PULUMI_BUILD_JOBS:-2}" -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$VERSION" \
    -o "$TMP/bin/" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
    ./pulumi-language-python

SDK_DIR="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
if [ -z "$SDK_DIR" ] || [ ! -d "$SDK_DIR" ]; then
    go mod download github.com/pulumi/pulumi/sdk/v3
    SDK_DIR="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
fi
for f in pulumi-language-python-exec pulumi-resource-pulumi-python; do
    src=""
    for cand in "$SDK_DIR/python/dist/$f" "$SDK_DIR/python/cmd/$f"; do
        [ -f "$cand" ] && { src="$cand"; break; }
    done
    [ -n "$src" ] || { log "$f not found in $SDK_DIR/python/{dist,cmd}"; exit 1; }
    cp "$src" "$TMP/bin/$f"
    chmod 0755 "$TMP/bin/$f"
done

got="$("$TMP/bin/pulumi" version 2>/dev/null || true)"
[ "$got" = "v$VERSION" ] || { log "built pulumi reports '$got', expected v$VERSION"; exit 1; }

# Publish atomically: a killed build never leaves a partial cache dir.
mkdir -p "$(dirname "$(dirname "$DEST")")"
stage="$(dirname "$DEST").tmp.$$"
rm -rf "$stage"
mv "$TMP" "$stage"
trap 'rm -rf "$stage"' EXIT
if ! mv -T "$stage" "$(dirname "$DEST")" 2>/dev/null; then
    # Another build won the race (or a stale partial dir exists): keep a complete one.
    if [ -z "${PULUMI_BUILD_FORCE:-}" ] && have_all "$DEST"; then
        rm -rf "$stage"
    else
        rm -rf "$(dirname "$DEST")"
        mv -T "$stage" "$(dirname "$DEST")"
    fi
fi
trap - EXIT
# Drop binaries of other recipe revisions (each is ~135 MB).
for old in "$CACHE_ROOT"/pulumi-v*; do
    case "$old" in *.tmp.*) continue ;; esac # another build's staging dir
    [ "$old" = "$(dirname "$DEST")" ] || rm -rf "$old"
done
log "built in $(( $(date +%s) - start ))s: $(du -sh "$DEST" | cut -f1) in $DEST"
echo "$DEST"
