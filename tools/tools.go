//go:build tools

// Package tools pins the Go modules from which tools/build-pulumi.sh builds the
// Pulumi CLI. Nothing from upstream is vendored or committed: the sources come
// from the Go module proxy at build time. The Python language host is our own
// code in ./pulumi-language-python (upstream's module is not on the proxy).
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
