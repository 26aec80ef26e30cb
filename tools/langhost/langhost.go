// Package langhost is what this project's language hosts share (pulumi-language-python, -nodejs, -go).
//
// Upstream's hosts are not served by the reachable Go module proxy, so each of ours is a small main
// package on the published sdk/v3 and pkg/v3 modules: it serves the engine's LanguageRuntime protocol,
// and every RPC is a short method delegating to what the language needs (find the program, build or
// spawn it, pass the monitor and engine addresses). This package holds the parts that are the same
// for every language:
//
//   - Main: lenient flag parsing (the engine passes the engine address; older engines and pulumi-yaml
//     pass -root, -virtualenv and other flags, which are accepted and ignored), the gRPC server, the
//     port on the first stdout line, and exit on SIGINT even when started with SIGINT ignored.
//   - Base: the RPCs whose answer does not depend on the language (Handshake, GetPluginInfo, plugin
//     and package discovery that reports nothing, Cancel, ...), embedded by each host. Anything a host
//     does not implement answers the gRPC Unimplemented status.
//   - Helpers for Run and RunPlugin: the program's config in the environment, the exit-code contract
//     (32: the program already showed the user an error), and the streams of RunPlugin.
package langhost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// ExitCodeUserActionable is the exit code of a program that has already shown the user its error.
const ExitCodeUserActionable = 32

// Flags are what the engine passes on the command line.
type Flags struct {
	// Tracing is the -tracing endpoint, if any.
	Tracing string
	// Executor is -use-executor (the Python host's exec shim), if given.
	Executor string
	// EngineAddress is the last positional argument.
	EngineAddress string
}

// ParseFlags reads the engine's flags leniently: unknown ones (-root, -virtualenv, ...) are ignored.
func ParseFlags(args []string) Flags {
	var flags Flags
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "-") {
			flags.EngineAddress = arg
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !hasValue && (name == "tracing" || name == "use-executor") && i+1 < len(args) {
			i++
			value = args[i]
		}
		switch name {
		case "tracing":
			flags.Tracing = value
		case "use-executor":
			flags.Executor = value
		}
	}
	return flags
}

// Fatal reports err as the host named name and exits.
func Fatal(name string, err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	os.Exit(1)
}

// Main serves host until the engine stops it: the port goes on the first stdout line.
func Main(name string, host pulumirpc.LanguageRuntimeServer) {
	// The engine stops a plugin with SIGINT to its process group, then kills it after a 5 s cooldown. A
	// process started by a non-interactive shell's background job (`cmd &`, as CI runners and nohup do)
	// inherits SIGINT ignored, and would sit out that cooldown on every pulumi command. Notify re-enables
	// the signal; on it, stop serving and exit.
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
		Fatal(name, fmt.Errorf("could not start language host RPC server: %w", err))
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		Fatal(name, fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

// Base answers the RPCs that are the same for every language. Embed it, set Cwd and EngineAddress.
type Base struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	Cwd     string
	Tracing string

	mu            sync.Mutex
	engineAddress string
	rootDir       string
}

// NewBase is a Base for a host started in the current directory with flags.
func NewBase(flags Flags) (*Base, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	return &Base{Cwd: cwd, Tracing: flags.Tracing, engineAddress: flags.EngineAddress}, nil
}

// Handshake records the engine's address and the project's root directory.
func (b *Base) Handshake(_ context.Context,
	req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if req.GetEngineAddress() != "" {
		b.engineAddress = req.GetEngineAddress()
	}
	if req.RootDirectory != nil {
		b.rootDir = req.GetRootDirectory()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

// EngineAddress is the engine's address, from the command line or the handshake.
func (b *Base) EngineAddress() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.engineAddress
}

// Root is the project's (or plugin's) root directory: the program info's, else the handshake's, else the cwd.
func (b *Base) Root(info *pulumirpc.ProgramInfo) string {
	if root := info.GetRootDirectory(); root != "" {
		return root
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.rootDir != "" {
		return b.rootDir
	}
	return b.Cwd
}

// ProgramDirectory is the directory of the program's entry point.
func (b *Base) ProgramDirectory(info *pulumirpc.ProgramInfo) string {
	if dir := info.GetProgramDirectory(); dir != "" {
		return dir
	}
	return b.Root(info)
}

// Options are the project's runtime options (Pulumi.yaml `runtime.options`).
func Options(info *pulumirpc.ProgramInfo) map[string]any {
	if info.GetOptions() == nil {
		return map[string]any{}
	}
	return info.GetOptions().AsMap()
}

// GetPluginInfo answers the engine's version: the hosts are built with it.
func (b *Base) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// GetRequiredPlugins reports no plugins: the engine loads each provider when the program first registers one
// of its resources, so an installed package never makes it download a plugin the program does not use.
func (b *Base) GetRequiredPlugins(context.Context,
	*pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

// GetRequiredPackages reports no packages, as GetRequiredPlugins.
func (b *Base) GetRequiredPackages(context.Context,
	*pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// GetProgramDependencies reports none (it feeds `pulumi about` only).
func (b *Base) GetProgramDependencies(context.Context,
	*pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

// RuntimeOptionsPrompts asks nothing.
func (b *Base) RuntimeOptionsPrompts(context.Context,
	*pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// Cancel has nothing to stop: each Run ends with its program.
func (b *Base) Cancel(context.Context, *pbempty.Empty) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

// ConfigEnv is the program's configuration as the SDKs read it: PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS.
func ConfigEnv(req *pulumirpc.RunRequest) ([]string, error) {
	var env []string
	if cfg := req.GetConfig(); cfg != nil {
		b, err := json.Marshal(cfg)
		if err != nil {
			return nil, err
		}
		env = append(env, "PULUMI_CONFIG="+string(b))
	}
	keys := req.GetConfigSecretKeys()
	if keys == nil {
		keys = []string{}
	}
	b, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	return append(env, "PULUMI_CONFIG_SECRET_KEYS="+string(b)), nil
}

// RunResult is the answer to Run after the program's process ended with err.
func RunResult(err error) *pulumirpc.RunResponse {
	if err == nil {
		return &pulumirpc.RunResponse{}
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if exitErr.ExitCode() == ExitCodeUserActionable {
			return &pulumirpc.RunResponse{Bail: true}
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}
	}
	return &pulumirpc.RunResponse{
		Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
	}
}

// RunPlugin runs cmd as the plugin the engine asked for: its output goes to the engine's streams, its
// working directory and extra environment are the request's, and its exit code is reported.
func RunPlugin(cmd *exec.Cmd, req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()
	cmd.Dir = req.GetPwd()
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, req.GetEnv()...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return server.Send(&pulumirpc.RunPluginResponse{
				Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(exitErr.ExitCode())}, //nolint:gosec
			})
		}
		return fmt.Errorf("could not run the plugin: %w", err)
	}
	return closer.Close()
}

// InstallStreams are the stdout and stderr of an InstallDependencies call.
func InstallStreams(req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) (io.Closer, io.Writer, io.Writer, error) {
	return rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
}

// Command is name with args, run in dir with env on top of this process's environment.
func Command(ctx context.Context, dir string, env []string, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// SearchUp finds name in dir or the nearest directory above it that has it.
func SearchUp(dir, name string) (string, error) {
	for {
		candidate := filepath.Join(dir, name)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%s not found in %s or any directory above it", name, dir)
		}
		dir = parent
	}
}
