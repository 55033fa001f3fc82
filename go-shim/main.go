// Command terraform-provider-rocketmq launches the RocketMQ provider for
// Terraform. It completes go-plugin's handshake itself and forwards every
// tfplugin6 call to the provider's Java backend: a warm backend shared by
// all launchers of this user and build, started from the lib directory next
// to the executable when none runs (TF_ROCKETMQ_BACKEND=process gives each
// launcher a JVM of its own instead).
package main

import (
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/backend"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/fallback"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/jvm"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/logs"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/proxy"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/session"
)

var handshake = plugin.HandshakeConfig{
	ProtocolVersion:  6,
	MagicCookieKey:   "TF_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
}

func main() {
	// go-plugin points os.Stderr elsewhere after the handshake; Terraform
	// reads logs from the real fd 2, so keep a handle on it.
	sink := logs.NewSink(logs.DupStderr())
	log := logs.New(sink, "rocketmq.shim")
	cfg := &plugin.ServeConfig{
		HandshakeConfig: handshake,
		Plugins:         plugin.PluginSet{"provider": proxy.Plugin{}},
		Logger:          hclog.New(&hclog.LoggerOptions{Name: "rocketmq.shim", Level: hclog.Trace, Output: sink, JSONFormat: true}),
	}
	if os.Getenv(handshake.MagicCookieKey) != handshake.MagicCookieValue {
		plugin.Serve(cfg) // explains that this is a plugin and exits
		return
	}

	dir, err := jvm.InstallDir()
	if err != nil {
		log.Error("cannot locate the executable", "error", err)
	}
	extra := strings.Fields(os.Getenv(jvm.OptsEnv))
	var be interface {
		proxy.Backend
		Close()
	}
	if backend.SharedMode(os.Getenv) {
		be = backend.Open(backend.Options{Dir: dir, ExtraOpts: extra, Log: log})
	} else {
		be = backend.OpenPrivate(jvm.Options{Dir: dir, ExtraOpts: extra, Log: log}, session.RequestFromProcess(""))
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		log.Info("stopping on signal", "signal", (<-signals).String())
		be.Close()
		os.Exit(1)
	}()

	static := map[string][]byte{}
	if snapshot, err := os.ReadFile(filepath.Join(dir, "lib", backend.SchemaSnapshotName)); err == nil {
		static[fallback.GetProviderSchemaMethod] = snapshot
	}
	cfg.GRPCServer = func(opts []grpc.ServerOption) *grpc.Server {
		return grpc.NewServer(append(opts, proxy.ServerOptionsWith(be, static)...)...)
	}
	plugin.Serve(cfg) // returns after the controller's Shutdown
	be.Close()
}
