// Package sdkgen is GeneratePackage for this project's language hosts: bind the schema the engine sends
// (resolving references to other packages through the engine's loader) and write the SDK one of pkg/v3's
// code generators makes of it. `pulumi package add` and `pulumi package gen-sdk` call it.
package sdkgen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Generator makes a language's SDK files of a bound package.
type Generator func(pkg *schema.Package, loader schema.ReferenceLoader, local bool) (map[string][]byte, error)

// GeneratePackage answers the GeneratePackage RPC with generate's files, written under req.Directory.
func GeneratePackage(req *pulumirpc.GeneratePackageRequest, generate Generator) (*pulumirpc.GeneratePackageResponse, error) {
	client, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer client.Close()
	loader := schema.NewCachedLoader(client)

	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, fmt.Errorf("the package schema is not valid JSON: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	response := &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}
	if diags.HasErrors() {
		return response, nil
	}
	files, err := generate(pkg, loader, req.GetLocal())
	if err != nil {
		return nil, err
	}
	for name, data := range req.GetExtraFiles() {
		files[name] = data
	}
	for name, data := range files {
		path := filepath.Join(req.GetDirectory(), name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil { //nolint:gosec // SDK sources, read by the program
			return nil, err
		}
	}
	return response, nil
}
