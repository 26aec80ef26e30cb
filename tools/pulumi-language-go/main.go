// Command pulumi-language-go is a minimal Go language host for the Pulumi engine, written for this project.
//
// Why it exists: the Go module of upstream's Go host (sdk/go/pulumi-language-go) is not served by the Go
// module proxy this project can reach. This host implements, on the published sdk/v3 and pkg/v3 modules,
// what a program needs for `pulumi up/preview/refresh/destroy` and what `pulumi package add` needs to
// give it a package's SDK:
//
//   - Run: `go build` of the program (or the prebuilt runtime option `binary`), then the binary with the
//     engine's addresses, settings and config in the environment the Go SDK reads (PULUMI_MONITOR, ...).
//     A program that does not compile fails the command with the compiler's messages.
//   - GeneratePackage: the Go SDK of a package schema, by pkg/v3's Go code generator.
//   - Link: a `replace` of the generated SDK's module by its directory in the program's go.mod.
//   - InstallDependencies: `go mod tidy`.
//   - About, and what langhost.Base answers for every language.
package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/example/pulumi-chime-sdk-identity/tools/langhost"
	"github.com/example/pulumi-chime-sdk-identity/tools/sdkgen"
)

const name = "pulumi-language-go"

func main() {
	base, err := langhost.NewBase(langhost.ParseFlags(os.Args[1:]))
	if err != nil {
		langhost.Fatal(name, err)
	}
	langhost.Main(name, &goHost{Base: base})
}

type goHost struct {
	*langhost.Base
}

func (h *goHost) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("could not find go on PATH: %w", err)
	}
	out, err := exec.CommandContext(ctx, goBin, "env", "GOVERSION").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOVERSION: %w", err)
	}
	return &pulumirpc.AboutResponse{Executable: goBin, Version: strings.TrimPrefix(strings.TrimSpace(string(out)), "go")}, nil
}

// program is the program's binary: the runtime option `binary`, else a fresh `go build` of the program.
func (h *goHost) program(ctx context.Context, info *pulumirpc.ProgramInfo) (string, func(), error) {
	if binary, _ := langhost.Options(info)["binary"].(string); binary != "" {
		if !filepath.IsAbs(binary) {
			binary = filepath.Join(h.Root(info), binary)
		}
		return binary, func() {}, nil
	}
	out, err := os.MkdirTemp("", "pulumi-go-program-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(out) }
	binary := filepath.Join(out, "program")
	cmd := langhost.Command(ctx, h.ProgramDirectory(info), nil, "go", "build", "-o", binary, ".")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr // the compiler's messages, shown by the engine
	if err := cmd.Run(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("`go build` of the program in %s failed (see the compiler's messages above)",
			h.ProgramDirectory(info))
	}
	return binary, cleanup, nil
}

func (h *goHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	binary, cleanup, err := h.program(ctx, info)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	defer cleanup()
	env, err := langhost.ConfigEnv(req)
	if err != nil {
		return nil, err
	}
	for key, value := range map[string]string{
		"PULUMI_MONITOR":        req.GetMonitorAddress(),
		"PULUMI_ENGINE":         h.EngineAddress(),
		"PULUMI_PROJECT":        req.GetProject(),
		"PULUMI_STACK":          req.GetStack(),
		"PULUMI_ORGANIZATION":   req.GetOrganization(),
		"PULUMI_ROOT_DIRECTORY": info.GetRootDirectory(),
		"PULUMI_DRY_RUN":        fmt.Sprint(req.GetDryRun()),
		"PULUMI_PARALLEL":       fmt.Sprint(req.GetParallel()),
	} {
		env = append(env, key+"="+value)
	}
	cmd := langhost.Command(ctx, req.GetPwd(), env, binary, req.GetArgs()...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return langhost.RunResult(cmd.Run()), nil
}

func (h *goHost) GeneratePackage(_ context.Context,
	req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return sdkgen.GeneratePackage(req, func(pkg *schema.Package, _ schema.ReferenceLoader, _ bool,
	) (map[string][]byte, error) {
		return gogen.GeneratePackage(name, pkg, req.GetLocalDependencies())
	})
}

// modulePath is the module a go.mod declares.
func modulePath(goMod string) (string, error) {
	file, err := os.Open(goMod)
	if err != nil {
		return "", err
	}
	defer file.Close()
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		if path, ok := strings.CutPrefix(strings.TrimSpace(scanner.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(path), `"`), nil
		}
	}
	return "", fmt.Errorf("%s declares no module", goMod)
}

// Link replaces each generated SDK's module by its directory; InstallDependencies then tidies go.mod.
func (h *goHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	dir := h.ProgramDirectory(req.GetInfo())
	var imports strings.Builder
	for _, dep := range req.GetPackages() {
		path := dep.GetPath()
		if !filepath.IsAbs(path) {
			path = filepath.Join(h.Root(req.GetInfo()), path)
		}
		module, err := modulePath(filepath.Join(path, "go.mod"))
		if err != nil {
			return nil, err
		}
		relative, err := filepath.Rel(dir, path)
		if err != nil {
			return nil, err
		}
		replace := fmt.Sprintf("-replace=%s=./%s", module, filepath.ToSlash(relative))
		if out, err := langhost.Command(ctx, dir, nil, "go", "mod", "edit", replace).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go mod edit %s: %w: %s", replace, err, out)
		}
		fmt.Fprintf(&imports, "  import %q\n", module+"/"+strings.ReplaceAll(dep.GetPackage().GetName(), "-", ""))
	}
	return &pulumirpc.LinkResponse{ImportInstructions: "You can import the SDK in your Go code with:\n\n" +
		imports.String()}, nil
}

func (h *goHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := langhost.InstallStreams(req, server)
	if err != nil {
		return err
	}
	defer closer.Close()
	cmd := langhost.Command(server.Context(), h.ProgramDirectory(req.GetInfo()), nil, "go", "mod", "tidy")
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go mod tidy: %w", err)
	}
	return closer.Close()
}
