// Command pulumi-language-yaml is upstream's YAML language host, pulumi-yaml v1.25.0 (the version the Go module
// proxy serves), with what the engine this project builds (v3.274.1) needs and v1.25.0 lacks.
//
// pulumi-yaml's own main is not used: it is built here from its published `pkg/server` package, at the pkg/v3
// and sdk/v3 versions pulumi-yaml pins (this module's go.mod), and served by langhost like this project's other
// hosts (lenient flags: pulumi-yaml's main refuses flags it does not know; exit on SIGINT). On top:
//
//   - Link: v1.25.0 has none, and `pulumi package add` calls it after GeneratePackage. A YAML program needs no
//     SDK: GeneratePackage writes the package's lock file under sdks/, the engine records the package in
//     Pulumi.yaml, and the program names the types (`chime-sdk-identity:MessagingApp`). Link says so.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/pulumi/pulumi-yaml/pkg/server"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/example/pulumi-chime-sdk-identity/tools/langhost"
)

const name = "pulumi-language-yaml"

type yamlHost struct {
	pulumirpc.LanguageRuntimeServer
}

// Link has nothing to link: a YAML program uses a package's types directly.
func (h *yamlHost) Link(_ context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	var uses strings.Builder
	for _, dep := range req.GetPackages() {
		fmt.Fprintf(&uses, "  type: %s:<Resource>\n", dep.GetPackage().GetName())
	}
	return &pulumirpc.LinkResponse{
		ImportInstructions: "You can use the package's resources in your YAML program with:\n\n" + uses.String(),
	}, nil
}

func main() {
	flags := langhost.ParseFlags(os.Args[1:])
	langhost.Main(name, &yamlHost{server.NewLanguageHost(flags.EngineAddress, flags.Tracing, false)})
}
