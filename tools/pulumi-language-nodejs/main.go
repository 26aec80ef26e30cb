// Command pulumi-language-nodejs is a minimal Node.js (TypeScript, JavaScript) language host for the
// Pulumi engine, written for this project.
//
// Why it exists: the Go module of upstream's Node.js host (sdk/nodejs/cmd/pulumi-language-nodejs) is not
// served by the Go module proxy this project can reach. This host implements, on the published sdk/v3
// and pkg/v3 modules, what a program needs for `pulumi up/preview/refresh/destroy` and what
// `pulumi package add` needs to give it a package's SDK:
//
//   - Run: the SDK's own runner, node_modules/@pulumi/pulumi/cmd/run (installed by the program's
//     `npm install`), with node from PATH, as upstream's host starts it: the engine's addresses and
//     settings as flags, the config in the environment, TypeScript through the SDK's ts-node unless the
//     runtime option `typescript` is false (`tsconfigpath`, `nodeargs` are honoured too).
//   - GeneratePackage: the TypeScript SDK of a package schema, by pkg/v3's Node.js code generator.
//   - Link: the generated SDK added to package.json as a `file:` dependency (sdk/v3's npm support).
//   - InstallDependencies: `npm install` (or yarn, pnpm, bun, as upstream picks them).
//   - About, and what langhost.Base answers for every language.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	npm "github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/example/pulumi-chime-sdk-identity/tools/langhost"
	"github.com/example/pulumi-chime-sdk-identity/tools/sdkgen"
)

const (
	name    = "pulumi-language-nodejs"
	runPath = "node_modules/@pulumi/pulumi/cmd/run"
)

func main() {
	base, err := langhost.NewBase(langhost.ParseFlags(os.Args[1:]))
	if err != nil {
		langhost.Fatal(name, err)
	}
	langhost.Main(name, &nodeHost{Base: base})
}

type nodeHost struct {
	*langhost.Base
}

// options are the runtime options of Pulumi.yaml that this host reads.
type options struct {
	typescript     bool
	tsconfigPath   string
	nodeArgs       []string
	packageManager npm.PackageManagerType
}

func parseOptions(info *pulumirpc.ProgramInfo) options {
	raw := langhost.Options(info)
	opts := options{typescript: true, packageManager: npm.AutoPackageManager}
	if value, ok := raw["typescript"].(bool); ok {
		opts.typescript = value
	}
	opts.tsconfigPath, _ = raw["tsconfigpath"].(string)
	if value, ok := raw["nodeargs"].(string); ok {
		opts.nodeArgs = strings.Fields(value)
	}
	if value, ok := raw["packagemanager"].(string); ok && value != "" {
		opts.packageManager = npm.PackageManagerType(value)
	}
	return opts
}

func (h *nodeHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on PATH: %w", err)
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("node --version: %w", err)
	}
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimPrefix(strings.TrimSpace(string(out)), "v")}, nil
}

func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	dir := h.ProgramDirectory(info)
	run, err := langhost.SearchUp(dir, runPath)
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf(
			"the Pulumi Node.js SDK is not installed in %s or above it; run `npm install` there", dir)}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on PATH"}, nil
	}
	opts := parseOptions(info)

	args := append(append([]string{}, opts.nodeArgs...), run)
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.EngineAddress())
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("root-directory", info.GetRootDirectory())
	add("stack", req.GetStack())
	add("pwd", req.GetPwd())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", fmt.Sprint(req.GetParallel()))
	add("tracing", h.Tracing)
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	env, err := langhost.ConfigEnv(req)
	if err != nil {
		return nil, err
	}
	env = append(env, fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%v", opts.typescript))
	if opts.tsconfigPath != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfigPath)
	}
	cmd := langhost.Command(ctx, req.GetPwd(), env, node, args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return langhost.RunResult(cmd.Run()), nil
}

func (h *nodeHost) GeneratePackage(_ context.Context,
	req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return sdkgen.GeneratePackage(req, func(pkg *schema.Package, loader schema.ReferenceLoader, local bool,
	) (map[string][]byte, error) {
		return nodejs.GeneratePackage(name, pkg, nil, req.GetLocalDependencies(), local, loader)
	})
}

// Link adds each generated SDK to the program's package.json; InstallDependencies then installs it.
func (h *nodeHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	info := req.GetInfo()
	dir := h.ProgramDirectory(info)
	client, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer client.Close()
	loader := schema.NewCachedLoader(client)
	manager, err := npm.ResolvePackageManager(parseOptions(info).packageManager, dir)
	if err != nil {
		return nil, err
	}
	var imports strings.Builder
	for _, dep := range req.GetPackages() {
		descriptor := &schema.PackageDescriptor{Name: dep.GetPackage().GetName(), DownloadURL: dep.GetPackage().GetServer()}
		if v, err := semver.ParseTolerant(dep.GetPackage().GetVersion()); err == nil {
			descriptor.Version = &v
		}
		ref, err := schema.LoadPackageReferenceV2(ctx, loader, descriptor)
		if err != nil {
			return nil, err
		}
		pkg, err := ref.Definition()
		if err != nil {
			return nil, err
		}
		if err := pkg.ImportLanguages(map[string]schema.Language{"nodejs": nodejs.Importer}); err != nil {
			return nil, err
		}
		packageName := "@pulumi/" + pkg.Name
		if info, ok := pkg.Language["nodejs"].(nodejs.NodePackageInfo); ok && info.PackageName != "" {
			packageName = info.PackageName
		}
		if err := manager.Link(ctx, dir, packageName, filepath.ToSlash(dep.GetPath())); err != nil {
			return nil, err
		}
		fmt.Fprintf(&imports, "  import * as %s from %q;\n", strings.ReplaceAll(pkg.Name, "-", ""), packageName)
	}
	return &pulumirpc.LinkResponse{
		ImportInstructions: "You can import the SDK in your TypeScript code with:\n\n" + imports.String(),
	}, nil
}

func (h *nodeHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := langhost.InstallStreams(req, server)
	if err != nil {
		return err
	}
	defer closer.Close()
	info := req.GetInfo()
	if _, err := npm.Install(server.Context(), parseOptions(info).packageManager, h.ProgramDirectory(info), false,
		stdout, stderr); err != nil {
		return err
	}
	return closer.Close()
}
