// Command pulumi-language-nodejs is a small, self-written Node.js language host for the Pulumi engine.
//
// Why it exists: the official language host lives in its own Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) which has no release tags and which the Go
// module proxy available to this project refuses to serve. The CLI needs *some* language host to run a
// `runtime: nodejs` project, so this one implements the parts of pulumirpc.LanguageRuntime that
// `pulumi preview/up/destroy/refresh` use:
//
//   - Run: spawns `node <@pulumi/pulumi>/cmd/run --monitor ... --engine ... <program>` in the program directory,
//     with the stack config in PULUMI_CONFIG (JSON), exactly what @pulumi/pulumi's run entry point reads;
//   - GetRequiredPlugins / GetRequiredPackages: nothing (this project uses only dynamic providers, whose plugin,
//     pulumi-resource-pulumi-nodejs, sits next to the CLI);
//   - GetPluginInfo, About, GetProgramDependencies, InstallDependencies (no-op), RuntimeOptionsPrompts, Handshake,
//     Cancel: sensible empty answers.
//
// Code generation, packing, linking and plugin hosting (RunPlugin) are not supported.
//
// Protocol (engine side): the engine starts this binary with optional logging flags
// (`--logtostderr`, `-v=N`, `--tracing <url>`) followed by the engine's gRPC address as the last argument, reads the
// port printed on the first stdout line, and then calls the gRPC methods.
//
// Node selection: $PULUMI_VPC_PEERING_NODE when set, otherwise the first `node` on PATH. The project's wrapper
// scripts put node_modules/.bin (Node 22) first on PATH.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// exitCodeAlreadyReported is the exit code @pulumi/pulumi/cmd/run uses when the program failed and the error has
// already been shown to the user (nodeJSProcessExitedAfterLoggingUserActionableMessage). The engine should then
// "bail" without printing a second, generic error.
const exitCodeAlreadyReported = 32

type options struct {
	engineAddress string
	tracing       string
}

// parseArgs accepts the flags the engine may pass to any plugin and returns the last positional argument as the
// engine address. Unknown flags are ignored so that newer engines do not break this host.
func parseArgs(args []string) options {
	var o options
	valueFlags := map[string]bool{"tracing": true, "root": true, "tsconfig": true, "nodeargs": true, "packagemanager": true}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			o.engineAddress = a
			continue
		}
		name := strings.TrimLeft(a, "-")
		value, hasValue := "", false
		if eq := strings.IndexByte(name, '='); eq >= 0 {
			name, value, hasValue = name[:eq], name[eq+1:], true
		}
		if valueFlags[name] && !hasValue && i+1 < len(args) {
			i++
			value = args[i]
		}
		if name == "tracing" {
			o.tracing = value
		}
	}
	return o
}

func main() {
	opts := parseArgs(os.Args[1:])

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: cannot listen: %v\n", err)
		os.Exit(1)
	}
	srv := grpc.NewServer(grpc.MaxRecvMsgSize(400 * 1024 * 1024))
	host := &languageHost{engineAddress: opts.engineAddress, tracing: opts.tracing, running: map[*exec.Cmd]struct{}{}}
	pulumirpc.RegisterLanguageRuntimeServer(srv, host)

	// The engine reads the port from the first line of stdout; nothing may be printed before it.
	fmt.Printf("%d\n", lis.Addr().(*net.TCPAddr).Port)

	// The engine normally stops its plugins; if it dies instead (killed, crashed), do not outlive it: once this
	// process is re-parented, stop the programs it runs and exit.
	go exitWithParent(host, srv)

	if err := srv.Serve(lis); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: server stopped: %v\n", err)
		os.Exit(1)
	}
}

// exitWithParent polls the parent process id; when it changes, the engine is gone.
func exitWithParent(h *languageHost, srv *grpc.Server) {
	parent := os.Getppid()
	for {
		time.Sleep(time.Second)
		if os.Getppid() != parent {
			_, _ = h.Cancel(context.Background(), &emptypb.Empty{})
			srv.Stop()
			os.Exit(0)
		}
	}
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
	tracing       string
	running       map[*exec.Cmd]struct{}
}

func (h *languageHost) Handshake(_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetRequiredPlugins(context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *languageHost) GetRequiredPackages(context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(version.Version, "v")}, nil
}

func (h *languageHost) InstallDependencies(_ *pulumirpc.InstallDependenciesRequest,
	stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	msg := "pulumi-language-nodejs (pulumi-vpc-peering): dependency installation is not managed here; run npm ci yourself.\n"
	return stream.Send(&pulumirpc.InstallDependenciesResponse{Stderr: []byte(msg)})
}

func (h *languageHost) RuntimeOptionsPrompts(context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *languageHost) Template(context.Context, *pulumirpc.TemplateRequest) (*pulumirpc.TemplateResponse, error) {
	return &pulumirpc.TemplateResponse{}, nil
}

func (h *languageHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := nodeBinary()
	if err != nil {
		return nil, status.Error(codes.FailedPrecondition, err.Error())
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, status.Errorf(codes.Internal, "running %s --version: %v", node, err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
		Metadata:   map[string]string{"languageHost": "pulumi-vpc-peering minimal host"},
	}, nil
}

func (h *languageHost) GetProgramDependencies(context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *languageHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for cmd := range h.running {
		if cmd.Process != nil {
			_ = cmd.Process.Signal(syscall.SIGINT)
		}
	}
	return &emptypb.Empty{}, nil
}

// nodeBinary returns the Node.js executable to use.
func nodeBinary() (string, error) {
	if n := os.Getenv("PULUMI_VPC_PEERING_NODE"); n != "" {
		return n, nil
	}
	n, err := exec.LookPath("node")
	if err != nil {
		return "", errors.New("could not find `node` on PATH (put the project's node_modules/.bin first)")
	}
	return n, nil
}

// findRunEntry resolves @pulumi/pulumi/cmd/run from dir upwards, the way Node's module resolution would.
func findRunEntry(dir string) (string, error) {
	if p := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH"); p != "" {
		return p, nil
	}
	start := dir
	for {
		candidate := filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run")
		if _, err := os.Stat(filepath.Join(candidate, "index.js")); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("could not find node_modules/@pulumi/pulumi/cmd/run in %s or any parent directory; "+
				"has `npm ci` been run?", start)
		}
		dir = parent
	}
}

// runtimeOption reads one of the `runtime.options` of Pulumi.yaml.
func runtimeOption(opts *structpb.Struct, name string) (*structpb.Value, bool) {
	if opts == nil {
		return nil, false
	}
	v, ok := opts.GetFields()[name]
	return v, ok
}

func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir := req.GetPwd()
	rootDir := ""
	entry := req.GetProgram()
	var rtOpts *structpb.Struct
	if info != nil {
		if info.GetProgramDirectory() != "" {
			programDir = info.GetProgramDirectory()
		}
		rootDir = info.GetRootDirectory()
		entry = info.GetEntryPoint()
		rtOpts = info.GetOptions()
	}
	if programDir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		programDir = wd
	}
	if entry == "" {
		entry = "."
	}

	node, err := nodeBinary()
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runPath, err := findRunEntry(programDir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	var args []string
	if v, ok := runtimeOption(rtOpts, "nodeargs"); ok && v.GetStringValue() != "" {
		args = append(args, strings.Fields(v.GetStringValue())...)
	}
	args = append(args, runPath)
	add := func(flag, value string) {
		if value != "" {
			args = append(args, "--"+flag+"="+value)
		}
	}
	h.mu.Lock()
	engineAddress := h.engineAddress
	h.mu.Unlock()
	add("monitor", req.GetMonitorAddress())
	add("engine", engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("stack", req.GetStack())
	add("root-directory", rootDir)
	add("pwd", programDir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		add("parallel", fmt.Sprint(req.GetParallel()))
	}
	add("tracing", h.tracing)
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	config := req.GetConfig()
	if config == nil {
		config = map[string]string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}

	env := os.Environ()
	env = append(env, "PULUMI_CONFIG="+string(configJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	typescript := true
	if v, ok := runtimeOption(rtOpts, "typescript"); ok {
		if _, isBool := v.GetKind().(*structpb.Value_BoolValue); isBool {
			typescript = v.GetBoolValue()
		}
	}
	if typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if v, ok := runtimeOption(rtOpts, "tsconfig"); ok && v.GetStringValue() != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+v.GetStringValue())
	}

	cmd := exec.Command(node, args...)
	cmd.Dir = programDir
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not start %s: %v", node, err)}, nil
	}
	h.mu.Lock()
	h.running[cmd] = struct{}{}
	h.mu.Unlock()

	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var waitErr error
	select {
	case waitErr = <-done:
	case <-ctx.Done():
		_ = cmd.Process.Signal(syscall.SIGINT)
		waitErr = <-done
	}
	h.mu.Lock()
	delete(h.running, cmd)
	h.mu.Unlock()

	if waitErr == nil {
		return &pulumirpc.RunResponse{}, nil
	}
	var exitErr *exec.ExitError
	if errors.As(waitErr, &exitErr) {
		if exitErr.ExitCode() == exitCodeAlreadyReported {
			return &pulumirpc.RunResponse{Bail: true}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode())}, nil
	}
	return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program failed: %v", waitErr)}, nil
}
