// Command pulumi-language-python is a minimal Python language host for the
// Pulumi engine, written for this project.
//
// Why it exists: the Go module of upstream's Python language host
// (github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3) is not
// served by the Go module proxy this project can reach, so it cannot be built
// from modules. This host implements just what `pulumi up/preview/destroy/
// refresh` need for a Python program using the engine's LanguageRuntime gRPC
// contract from the published sdk/v3 module:
//
//   - Run: starts the SDK's `pulumi-language-python-exec` shim (installed
//     beside this binary by tools/build-pulumi.sh) with the chosen Python.
//   - GetRequiredPlugins/GetRequiredPackages: deliberately report nothing, so
//     the engine never tries to download a provider plugin just because a
//     pulumi-* package is installed in the virtualenv. Providers are still
//     loaded on demand when the program registers a resource of theirs.
//   - Handshake, GetPluginInfo, About, GetProgramDependencies,
//     RuntimeOptionsPrompts, InstallDependencies (no-op), Cancel.
//
// Python selection (first match): runtime option `virtualenv` (relative paths
// are resolved against the project root), `toolchain: uv` => <root>/.venv,
// $PULUMI_PYTHON_CMD, then `python3`, then `python` on PATH.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"google.golang.org/grpc"
	pbempty "google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const (
	execShimName = "pulumi-language-python-exec"
	// Exit code used by the exec shim after it has already shown the user an error.
	exitCodeUserActionable = 32
)

func main() {
	var tracing, executor string
	var positional []string
	// Parse leniently: the engine passes only the engine address, but older or newer
	// engines may add flags (-root, -virtualenv, ...) that we accept and ignore.
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			positional = append(positional, a)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !hasVal && (name == "tracing" || name == "use-executor") && i+1 < len(args) {
			i++
			val = args[i]
		}
		switch name {
		case "tracing":
			tracing = val
		case "use-executor":
			executor = val
		}
	}

	if executor == "" {
		self, err := os.Executable()
		if err != nil {
			fatal(fmt.Errorf("could not determine current executable: %w", err))
		}
		if resolved, err := filepath.EvalSymlinks(self); err == nil {
			self = resolved
		}
		executor = filepath.Join(filepath.Dir(self), execShimName)
	}
	if _, err := os.Stat(executor); err != nil {
		fatal(fmt.Errorf("missing executor %s: %w", executor, err))
	}

	cwd, err := os.Getwd()
	if err != nil {
		fatal(err)
	}

	host := &languageHost{exec: executor, tracing: tracing, cwd: cwd}
	if len(positional) > 0 {
		host.engineAddress = positional[len(positional)-1]
	}

	// The engine stops a plugin with SIGINT to its process group, then kills it after a 5 s
	// cooldown. A process started by a non-interactive shell's background job (`cmd &`, as CI
	// runners and nohup do) inherits SIGINT ignored, and would sit out that cooldown on every
	// pulumi command. Notify re-enables the signal; on it, stop serving and exit.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	cancel := make(chan bool)
	go func() {
		<-signals
		close(cancel)
	}()

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fatal(fmt.Errorf("could not start language host RPC server: %w", err))
	}
	// The engine reads the port from our first stdout line.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fatal(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
	os.Exit(1)
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	exec          string
	tracing       string
	cwd           string
	mu            sync.Mutex
	engineAddress string
	rootDir       string
}

func (h *languageHost) Handshake(_ context.Context,
	req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	if req.RootDirectory != nil {
		h.rootDir = req.GetRootDirectory()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// GetRequiredPlugins reports no plugins (see package doc).
func (h *languageHost) GetRequiredPlugins(context.Context,
	*pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

// GetRequiredPackages reports no packages (see package doc).
func (h *languageHost) GetRequiredPackages(context.Context,
	*pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *languageHost) GetProgramDependencies(context.Context,
	*pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *languageHost) RuntimeOptionsPrompts(context.Context,
	*pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// InstallDependencies is a no-op: this project manages its virtualenv itself.
func (h *languageHost) InstallDependencies(*pulumirpc.InstallDependenciesRequest,
	grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	return nil
}

func (h *languageHost) Cancel(context.Context, *pbempty.Empty) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

func (h *languageHost) About(_ context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	py, _, err := h.python(req.GetInfo())
	if err != nil {
		return nil, err
	}
	out, err := exec.Command(py, "--version").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s --version: %w", py, err)
	}
	v := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(out)), "Python"))
	return &pulumirpc.AboutResponse{Executable: py, Version: v}, nil
}

// python returns the interpreter to use and, when it lives in a virtualenv, that virtualenv's directory.
func (h *languageHost) python(info *pulumirpc.ProgramInfo) (string, string, error) {
	opts := map[string]any{}
	if info.GetOptions() != nil {
		opts = info.GetOptions().AsMap()
	}
	root := info.GetRootDirectory()
	if root == "" {
		h.mu.Lock()
		root = h.rootDir
		h.mu.Unlock()
	}
	if root == "" {
		root = h.cwd
	}

	venv, _ := opts["virtualenv"].(string)
	toolchain, _ := opts["toolchain"].(string)
	if venv == "" && toolchain == "uv" {
		venv = ".venv"
	}
	if venv == "" && toolchain == "poetry" {
		return "", "", errors.New("runtime option toolchain: poetry is not supported by this language host; " +
			"set runtime.options.virtualenv instead")
	}
	if venv != "" {
		if !filepath.IsAbs(venv) {
			venv = filepath.Join(root, venv)
		}
		py := filepath.Join(venv, "bin", "python")
		if _, err := os.Stat(py); err != nil {
			return "", "", fmt.Errorf("the 'virtualenv' option in Pulumi.yaml is set to %q, "+
				"but %s does not exist; create it with `python3 -m venv %s` and install the dependencies",
				venv, py, venv)
		}
		return py, venv, nil
	}
	if cmd := os.Getenv("PULUMI_PYTHON_CMD"); cmd != "" {
		py, err := exec.LookPath(cmd)
		return py, "", err
	}
	for _, name := range []string{"python3", "python"} {
		if py, err := exec.LookPath(name); err == nil {
			return py, "", nil
		}
	}
	return "", "", errors.New("no python3 or python executable found on PATH " +
		"(or set runtime.options.virtualenv in Pulumi.yaml, or PULUMI_PYTHON_CMD)")
}

func (h *languageHost) Run(_ context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	py, venv, err := h.python(req.GetInfo())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	h.mu.Lock()
	engine := h.engineAddress
	h.mu.Unlock()

	args := []string{"-u", h.exec}
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", engine)
	add("project", req.GetProject())
	add("root_directory", req.GetInfo().GetRootDirectory())
	add("stack", req.GetStack())
	add("pwd", req.GetPwd())
	add("dry_run", fmt.Sprintf("%v", req.GetDryRun()))
	add("parallel", fmt.Sprint(req.GetParallel()))
	add("tracing", h.tracing)
	add("organization", req.GetOrganization())
	program := req.GetProgram()
	if program == "" {
		program = "."
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	env := os.Environ()
	if venv != "" {
		env = withVirtualenv(env, venv)
	}
	if cfg := req.GetConfig(); cfg != nil {
		b, err := json.Marshal(cfg)
		if err != nil {
			return nil, err
		}
		env = append(env, "PULUMI_CONFIG="+string(b))
	}
	if keys := req.GetConfigSecretKeys(); keys != nil {
		b, err := json.Marshal(keys)
		if err != nil {
			return nil, err
		}
		env = append(env, "PULUMI_CONFIG_SECRET_KEYS="+string(b))
	}

	cmd := exec.Command(py, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitCodeUserActionable {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
		}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// withVirtualenv returns env adjusted as if venv were activated.
func withVirtualenv(env []string, venv string) []string {
	out := make([]string, 0, len(env)+2)
	path := ""
	for _, kv := range env {
		switch {
		case strings.HasPrefix(kv, "PYTHONHOME="), strings.HasPrefix(kv, "VIRTUAL_ENV="):
			continue
		case strings.HasPrefix(kv, "PATH="):
			path = strings.TrimPrefix(kv, "PATH=")
			continue
		}
		out = append(out, kv)
	}
	bin := filepath.Join(venv, "bin")
	if path != "" {
		bin += string(os.PathListSeparator) + path
	}
	return append(out, "PATH="+bin, "VIRTUAL_ENV="+venv)
}
