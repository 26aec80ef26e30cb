#!/usr/bin/env bash
# Build (or reuse) the Pulumi CLI and the language hosts for local, offline runs.
#
# Usage: tools/build-pulumi.sh [LANGUAGE ...]   -> last stdout line = a directory holding
#            pulumi, pulumi-language-python (+ its two helper scripts) and, for each LANGUAGE
#            given (nodejs, go, yaml), pulumi-language-LANGUAGE
#        PULUMI_BUILD_FORCE=1 tools/build-pulumi.sh ...   -> ignore PATH/cache, rebuild
#
# Sources come from the Go module proxy; nothing from upstream is committed.
# - pulumi: github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at the pkg/v3 version required in
#   tools/go.mod (the single source of truth for the engine version).
# - pulumi-language-python, -nodejs, -go: our own minimal hosts in tools/ (upstream's modules are
#   not on the reachable proxy), on the published sdk/v3 and pkg/v3 modules of tools/go.mod, sharing
#   tools/langhost. The Python host's two helper scripts are copied from the published sdk/v3 module.
# - pulumi-language-yaml: upstream's pulumi-yaml (v1.25.0, the served version) from its published
#   server package, with the Link RPC the engine needs; its own module (tools/pulumi-language-yaml),
#   since pulumi-yaml pins an older pkg/v3 than the engine.
#
# Each binary is cached on its own under ${XDG_CACHE_HOME:-~/.cache}/pulumi-chime-sdk-identity,
# keyed by what it is built from, so editing one host never rebuilds the engine. The directory
# printed holds hard links to the cached binaries of this combination.
set -euo pipefail

TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf 'build-pulumi: %s\n' "$*" >&2; }

VERSION="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { sub(/^v/, "", $2); print $2; exit }' "$TOOLS_DIR/go.mod")"
[ -n "$VERSION" ] || { log "cannot read the pkg/v3 version from $TOOLS_DIR/go.mod"; exit 1; }
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-chime-sdk-identity"

PIECES=(cli python)
for lang in "$@"; do
    case "$lang" in
        nodejs | go | yaml) PIECES+=("$lang") ;;
        python) ;;
        *) log "unknown language '$lang' (nodejs, go, yaml)"; exit 2 ;;
    esac
done

# The files each piece is built from, and the binaries it yields.
sources() {
    case "$1" in
        cli) echo "$TOOLS_DIR/go.mod" "$TOOLS_DIR/go.sum" ;;
        python) echo "$TOOLS_DIR/go.mod" "$TOOLS_DIR/go.sum" "$TOOLS_DIR"/pulumi-language-python/*.go \
            "$TOOLS_DIR"/langhost/go.* "$TOOLS_DIR"/langhost/*.go ;;
        nodejs | go) echo "$TOOLS_DIR/go.mod" "$TOOLS_DIR/go.sum" "$TOOLS_DIR/pulumi-language-$1"/*.go \
            "$TOOLS_DIR"/langhost/go.* "$TOOLS_DIR"/langhost/*.go "$TOOLS_DIR"/sdkgen/*.go ;;
        yaml) echo "$TOOLS_DIR"/pulumi-language-yaml/go.* "$TOOLS_DIR"/pulumi-language-yaml/*.go \
            "$TOOLS_DIR"/langhost/go.* "$TOOLS_DIR"/langhost/*.go ;;
    esac
}
binaries() {
    case "$1" in
        cli) echo pulumi ;;
        python) echo pulumi-language-python pulumi-language-python-exec pulumi-resource-pulumi-python ;;
        *) echo "pulumi-language-$1" ;;
    esac
}
have_all() {
    local f
    for f in $(binaries "$2"); do [ -x "$1/$f" ] || return 1; done
}

go_env() {
    command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH"
    command -v go >/dev/null 2>&1 || { log "go toolchain not found"; exit 1; }
    export GOWORK=off GOFLAGS=-mod=readonly CGO_ENABLED=0 GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
}

# build PIECE OUT_DIR
build() {
    local out="$2" jobs="-p ${PULUMI_BUILD_JOBS:-2}"
    go_env
    case "$1" in
        cli)
            (cd "$TOOLS_DIR" && go build $jobs -trimpath \
                -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$VERSION" \
                -o "$out/" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
            local got
            got="$("$out/pulumi" version 2>/dev/null || true)"
            [ "$got" = "v$VERSION" ] || { log "built pulumi reports '$got', expected v$VERSION"; return 1; }
            ;;
        python | nodejs | go)
            (cd "$TOOLS_DIR" && go build $jobs -trimpath \
                -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$VERSION" \
                -o "$out/" "./pulumi-language-$1")
            if [ "$1" = python ]; then
                local sdk f src cand
                sdk="$(cd "$TOOLS_DIR" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
                if [ -z "$sdk" ] || [ ! -d "$sdk" ]; then
                    (cd "$TOOLS_DIR" && go mod download github.com/pulumi/pulumi/sdk/v3)
                    sdk="$(cd "$TOOLS_DIR" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
                fi
                for f in pulumi-language-python-exec pulumi-resource-pulumi-python; do
                    src=""
                    for cand in "$sdk/python/dist/$f" "$sdk/python/cmd/$f"; do
                        [ -f "$cand" ] && { src="$cand"; break; }
                    done
                    [ -n "$src" ] || { log "$f not found in $sdk/python/{dist,cmd}"; return 1; }
                    cp "$src" "$out/$f"
                    chmod 0755 "$out/$f"
                done
            fi
            ;;
        yaml)
            (cd "$TOOLS_DIR/pulumi-language-yaml" && go build $jobs -trimpath -ldflags "-s -w" -o "$out/" .)
            ;;
    esac
}

# cached PIECE -> prints the cache directory holding its binaries, building them first if needed.
cached() {
    local piece="$1" key dest tmp start
    # shellcheck disable=SC2046 # word splitting of the file list is intended
    key="$( (echo "$piece $VERSION"; sed -n '/^build() {/,/^}/p' "${BASH_SOURCE[0]}";
        cat $(sources "$piece")) | sha256sum | cut -c1-12)"
    dest="$CACHE_ROOT/$piece-$key"
    if [ -z "${PULUMI_BUILD_FORCE:-}" ] && have_all "$dest" "$piece"; then
        touch "$dest"
        echo "$dest"
        return
    fi
    mkdir -p "$CACHE_ROOT"
    tmp="$(mktemp -d "$CACHE_ROOT/.build-$piece-XXXXXX")"
    start=$(date +%s)
    log "building $piece ($(binaries "$piece" | tr ' ' ','))"
    if ! build "$piece" "$tmp"; then
        rm -rf "$tmp"
        return 1
    fi
    chmod 0755 "$tmp"
    # Publish atomically: a killed build never leaves a partial cache directory.
    if ! mv -T "$tmp" "$dest" 2>/dev/null; then
        if [ -z "${PULUMI_BUILD_FORCE:-}" ] && have_all "$dest" "$piece"; then
            rm -rf "$tmp" # another build won the race
        else
            rm -rf "$dest"
            mv -T "$tmp" "$dest"
        fi
    fi
    log "built $piece in $(($(date +%s) - start))s"
    echo "$dest"
}

# 1. A pulumi of exactly this version already on PATH, with every requested host beside it.
if [ -z "${PULUMI_BUILD_FORCE:-}" ] && existing="$(command -v pulumi 2>/dev/null)"; then
    dir="$(cd "$(dirname "$existing")" && pwd)"
    if [ "$(PULUMI_SKIP_UPDATE_CHECK=true "$existing" version 2>/dev/null)" = "v$VERSION" ]; then
        ok=1
        for piece in "${PIECES[@]}"; do have_all "$dir" "$piece" || ok=""; done
        if [ -n "$ok" ]; then
            log "using pulumi v$VERSION and its language hosts already on PATH"
            echo "$dir"
            exit 0
        fi
    fi
fi

# 2. Each piece from the cache (or built), then one directory of hard links to this combination.
find "$CACHE_ROOT" -maxdepth 1 \( -name '.build-*' -o -name '.bin-*' \) -mmin +120 -exec rm -rf {} + 2>/dev/null || true
dirs=()
for piece in "${PIECES[@]}"; do dirs+=("$(cached "$piece")"); done
combo="$CACHE_ROOT/bin-$(printf '%s\n' "${dirs[@]}" | sha256sum | cut -c1-12)"
if [ -n "${PULUMI_BUILD_FORCE:-}" ] || [ ! -d "$combo" ]; then
    stage="$(mktemp -d "$CACHE_ROOT/.bin-XXXXXX")"
    for i in "${!PIECES[@]}"; do
        for f in $(binaries "${PIECES[$i]}"); do ln "${dirs[$i]}/$f" "$stage/$f"; done
    done
    chmod 0755 "$stage"
    rm -rf "$combo"
    mv -T "$stage" "$combo" 2>/dev/null || rm -rf "$stage"
fi
touch "$combo"
# Drop what no build used for a week (a binary of another revision, another checkout's combination).
find "$CACHE_ROOT" -maxdepth 1 -mindepth 1 -type d ! -name '.*' -mtime +7 -exec rm -rf {} + 2>/dev/null || true
echo "$combo"
