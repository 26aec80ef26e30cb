#!/usr/bin/env bash
# Build (or reuse) actionlint, the linter of GitHub Actions workflows, for `make test` (tests/test_workflows.py).
#
# Usage: tools/build-actionlint.sh   -> last stdout line = the actionlint binary
#
# Built with `go install module@version` from the Go module proxy (its own go.mod and go.sum, checked against
# the checksum database) and cached under ${XDG_CACHE_HOME:-~/.cache}/pulumi-chime-sdk-identity, beside the
# engine that tools/build-pulumi.sh caches there. Nothing from upstream is committed.
set -euo pipefail

ACTIONLINT_VERSION=v1.7.12
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-chime-sdk-identity"
dest="$CACHE_ROOT/actionlint-$ACTIONLINT_VERSION"
if [ ! -x "$dest/actionlint" ]; then
    command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH"
    command -v go >/dev/null 2>&1 || { echo "build-actionlint: go toolchain not found" >&2; exit 1; }
    mkdir -p "$CACHE_ROOT"
    tmp="$(mktemp -d "$CACHE_ROOT/.build-actionlint-XXXXXX")"
    echo "build-actionlint: building actionlint $ACTIONLINT_VERSION" >&2
    if ! GOWORK=off GOFLAGS= CGO_ENABLED=0 GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOBIN="$tmp" \
        go install -trimpath -ldflags "-s -w" "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"; then
        rm -rf "$tmp"
        exit 1
    fi
    chmod 0755 "$tmp"
    # Publish atomically: a killed build never leaves a partial cache directory.
    mv -T "$tmp" "$dest" 2>/dev/null || rm -rf "$tmp"
fi
touch "$dest"
echo "$dest/actionlint"
