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
//   - RunPlugin: runs a Python plugin (a component provider with a
//     PulumiPlugin.yaml, runtime python) as upstream's host does: the
//     plugin's __main__.py with its virtualenv, or, for a buildable package
//     without one, `python -m pulumi.run.plugin <distribution name>`.
//   - InstallDependencies: for a program or plugin whose `virtualenv` does
//     not exist yet (a plugin `pulumi package add` fetched from git), creates
//     it and installs requirements.txt, with the SDK's own pip toolchain.
//   - About, and what langhost.Base answers for every language.
//
// Python selection (first match): runtime option `virtualenv` (relative paths
// are resolved against the project root), `toolchain: uv` => <root>/.venv,
// $PULUMI_PYTHON_CMD, then `python3`, then `python` on PATH.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/example/pulumi-chime-sdk-identity/tools/langhost"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

const (
	name         = "pulumi-language-python"
	execShimName = "pulumi-language-python-exec"
)

func main() {
	flags := langhost.ParseFlags(os.Args[1:])
	executor := flags.Executor
	if executor == "" {
		self, err := os.Executable()
		if err != nil {
			langhost.Fatal(name, fmt.Errorf("could not determine current executable: %w", err))
		}
		if resolved, err := filepath.EvalSymlinks(self); err == nil {
			self = resolved
		}
		executor = filepath.Join(filepath.Dir(self), execShimName)
	}
	if _, err := os.Stat(executor); err != nil {
		langhost.Fatal(name, fmt.Errorf("missing executor %s: %w", executor, err))
	}
	base, err := langhost.NewBase(flags)
	if err != nil {
		langhost.Fatal(name, err)
	}
	langhost.Main(name, &languageHost{Base: base, exec: executor})
}

type languageHost struct {
	*langhost.Base

	exec string
}

func (h *languageHost) About(_ context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	py, _, err := h.python(req.GetInfo(), false)
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

// virtualenv is the `virtualenv` runtime option as an absolute path ("" when none is set).
func (h *languageHost) virtualenv(info *pulumirpc.ProgramInfo) (string, error) {
	opts := langhost.Options(info)
	venv, _ := opts["virtualenv"].(string)
	toolchainName, _ := opts["toolchain"].(string)
	if venv == "" && toolchainName == "uv" {
		venv = ".venv"
	}
	if venv == "" && toolchainName == "poetry" {
		return "", errors.New("runtime option toolchain: poetry is not supported by this language host; " +
			"set runtime.options.virtualenv instead")
	}
	if venv != "" && !filepath.IsAbs(venv) {
		venv = filepath.Join(h.Root(info), venv)
	}
	return venv, nil
}

// python returns the interpreter to use and, when it lives in a virtualenv, that virtualenv's directory.
// A plugin must have a virtualenv: upstream's host never runs one with the ambient Python either.
func (h *languageHost) python(info *pulumirpc.ProgramInfo, plugin bool) (string, string, error) {
	venv, err := h.virtualenv(info)
	if err != nil {
		return "", "", err
	}
	if venv == "" && plugin {
		venv = filepath.Join(h.Root(info), "venv") // upstream's default for plugins
	}
	if venv != "" {
		py := filepath.Join(venv, "bin", "python")
		if _, err := os.Stat(py); err != nil {
			return "", "", fmt.Errorf("the 'virtualenv' option in %s is set to %q, "+
				"but %s does not exist; create it with `python3 -m venv %s` and install the dependencies",
				projectFile(plugin), venv, py, venv)
		}
		return py, venv, nil
	}
	if cmd := os.Getenv("PULUMI_PYTHON_CMD"); cmd != "" {
		py, err := exec.LookPath(cmd)
		return py, "", err
	}
	for _, candidate := range []string{"python3", "python"} {
		if py, err := exec.LookPath(candidate); err == nil {
			return py, "", nil
		}
	}
	return "", "", errors.New("no python3 or python executable found on PATH " +
		"(or set runtime.options.virtualenv in Pulumi.yaml, or PULUMI_PYTHON_CMD)")
}

func projectFile(plugin bool) string {
	if plugin {
		return "PulumiPlugin.yaml"
	}
	return "Pulumi.yaml"
}

func (h *languageHost) Run(_ context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	py, venv, err := h.python(req.GetInfo(), false)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	args := []string{"-u", h.exec}
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.EngineAddress())
	add("project", req.GetProject())
	add("root_directory", req.GetInfo().GetRootDirectory())
	add("stack", req.GetStack())
	add("pwd", req.GetPwd())
	add("dry_run", fmt.Sprintf("%v", req.GetDryRun()))
	add("parallel", fmt.Sprint(req.GetParallel()))
	add("tracing", h.Tracing)
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
	config, err := langhost.ConfigEnv(req)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(py, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = append(env, config...)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	return langhost.RunResult(cmd.Run()), nil
}

// RunPlugin runs a Python plugin: its __main__.py (a bare directory), or `python -m pulumi.run.plugin
// <distribution>` for a buildable package without one, in the plugin's virtualenv.
func (h *languageHost) RunPlugin(req *pulumirpc.RunPluginRequest,
	server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	info := req.GetInfo()
	py, venv, err := h.python(info, true)
	if err != nil {
		return err
	}
	dir := h.ProgramDirectory(info)
	var args []string
	if _, err := os.Stat(filepath.Join(dir, "__main__.py")); err == nil {
		args = append([]string{"-u", dir}, req.GetArgs()...)
	} else {
		project, err := toolchain.LoadPyproject(dir)
		if err != nil {
			return fmt.Errorf("plugin %s has neither __main__.py nor a pyproject.toml: %w", dir, err)
		}
		args = append([]string{"-u", "-m", "pulumi.run.plugin", project.Project.Name}, req.GetArgs()...)
	}
	cmd := exec.CommandContext(server.Context(), py, args...)
	cmd.Env = withVirtualenv(os.Environ(), venv)
	return langhost.RunPlugin(cmd, req, server)
}

// InstallDependencies creates the `virtualenv` when it does not exist yet and installs requirements.txt into
// it (a plugin fetched from git by `pulumi package add`); an existing virtualenv is left as it is.
func (h *languageHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	info := req.GetInfo()
	venv, err := h.virtualenv(info)
	if err != nil {
		return err
	}
	if venv == "" && req.GetIsPlugin() {
		venv = "venv"
	}
	if venv == "" {
		return nil // the ambient Python: nothing of ours to install into
	}
	closer, stdout, stderr, err := langhost.InstallStreams(req, server)
	if err != nil {
		return err
	}
	defer closer.Close()
	root := h.Root(info)
	tc, err := toolchain.ResolveToolchain(toolchain.PythonOptions{
		Root: root, ProgramDir: h.ProgramDirectory(info), Virtualenv: venv, Toolchain: toolchain.Pip,
	})
	if err != nil {
		return err
	}
	if err := tc.EnsureVenv(server.Context(), root, req.GetUseLanguageVersionTools(), true, stdout, stderr); err != nil {
		return err
	}
	return closer.Close()
}

// withVirtualenv returns env adjusted as if venv were activated (env unchanged when venv is "").
func withVirtualenv(env []string, venv string) []string {
	if venv == "" {
		return env
	}
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
