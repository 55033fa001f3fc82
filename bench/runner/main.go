// Command runner is `make bench`: it measures the provider against a Go peer
// provider (terraform-plugin-framework, same resource count and reference
// chain, no remote work) in one run, with paired repetitions, and prints
// medians and ratios.
//
// It applies the quick start's layout (a name server, a broker, a topic) on
// this machine with ports of its own, then measures: exec to the first
// GetProviderSchema answer; no-op plan and validate with a warm backend, a
// cold one (none running) and a JVM per launch; a no-op plan of N topics
// against N terraform_data; destroy against the sum of its stops; and the
// backend's idle RSS.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
)

const (
	peerSource  = "registry.terraform.io/benchpeer/peer"
	peerVersion = "0.0.1"
	cookie      = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
)

var (
	root      = flag.String("root", ".", "repository root (make package must have run)")
	tfBinary  = flag.String("terraform", "terraform", "terraform (or tofu) binary")
	pairs     = flag.Int("pairs", 5, "paired repetitions for the small measurements")
	topics    = flag.Int("topics", 1000, "topics for the scale measurement (0 skips it)")
	bigPairs  = flag.Int("big-pairs", 3, "paired repetitions for the scale measurement")
	rocketmqV = flag.String("rocketmq", "5.3.3", "RocketMQ version of the runtime archive")
	seed      = flag.Bool("seed", true, "measure the seed layout's broker stops and rolling restart")
)

type bench struct {
	root, work, runtime, cache, cli string
	nsPort, brokerPort              int
	seedPorts                       []int
}

func main() {
	flag.Parse()
	b, err := setUp()
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(b.runtime)
	defer b.stopBackends()
	if err := b.run(); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

func setUp() (*bench, error) {
	r, err := filepath.Abs(*root)
	if err != nil {
		return nil, err
	}
	b := &bench{root: r, work: filepath.Join(r, "build", "bench")}
	_ = os.RemoveAll(b.work)
	if err := os.MkdirAll(b.work, 0o755); err != nil {
		return nil, err
	}
	if b.runtime, err = os.MkdirTemp("/tmp", "tfb"); err != nil {
		return nil, err
	}
	b.cache = filepath.Join(b.work, "cache")
	peerDir := filepath.Join(b.work, "mirror", peerSource, peerVersion, "linux_amd64")
	if err := os.MkdirAll(peerDir, 0o755); err != nil {
		return nil, err
	}
	build := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(peerDir, "terraform-provider-peer_v"+peerVersion), "./peer")
	build.Dir = filepath.Join(r, "bench")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("building the peer provider: %w", err)
	}
	b.cli = filepath.Join(b.work, "terraformrc")
	cfg := fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/tfrocketmq/*"]
  }
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/benchpeer/*"]
  }
  direct {
    exclude = ["registry.terraform.io/tfrocketmq/*", "registry.terraform.io/benchpeer/*"]
  }
}
`, filepath.Join(r, "build", "mirror"), filepath.Join(b.work, "mirror"))
	if err := os.WriteFile(b.cli, []byte(cfg), 0o644); err != nil {
		return nil, err
	}
	if b.nsPort, err = freeBlock(1); err != nil {
		return nil, err
	}
	if b.brokerPort, err = freeBlock(4); err != nil {
		return nil, err
	}
	b.brokerPort += 2 // the broker also binds listen_port-2 and listen_port+1
	return b, nil
}

// freeBlock finds n consecutive free TCP ports on 127.0.0.1.
func freeBlock(n int) (int, error) {
	for attempt := 0; attempt < 50; attempt++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		base := l.Addr().(*net.TCPAddr).Port
		_ = l.Close()
		ok := base+n < 65000
		for p := base; ok && p < base+n; p++ {
			if c, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p)); err == nil {
				_ = c.Close()
			} else {
				ok = false
			}
		}
		if ok {
			return base, nil
		}
	}
	return 0, errors.New("no free ports")
}

func (b *bench) env(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_") {
			env = append(env, kv)
		}
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+b.cli, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_INPUT=0",
		"XDG_RUNTIME_DIR="+b.runtime, "XDG_CACHE_HOME="+b.cache)
	return append(env, extra...)
}

// tf runs terraform in dir and returns its wall time.
func (b *bench) tf(dir string, extraEnv []string, args ...string) (time.Duration, string, error) {
	cmd := exec.Command(*tfBinary, args...)
	cmd.Dir = dir
	cmd.Env = b.env(extraEnv...)
	started := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(started)
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && len(args) > 0 && args[0] == "plan" && ee.ExitCode() == 2 {
			return took, string(out), fmt.Errorf("plan in %s is not a no-op:\n%s", dir, out)
		}
		return took, string(out), fmt.Errorf("terraform %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return took, string(out), nil
}

func (b *bench) dir(name, hcl string) (string, error) {
	d := filepath.Join(b.work, name)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(d, "main.tf"), []byte(hcl), 0o644); err != nil {
		return "", err
	}
	if _, _, err := b.tf(d, nil, "init", "-input=false", "-no-color"); err != nil {
		return "", err
	}
	return d, nil
}

const header = `terraform {
  required_providers {
    rocketmq = { source = "tfrocketmq/rocketmq", version = "0.1.0" }
    peer     = { source = "benchpeer/peer", version = "0.0.1" }
  }
}
`

func (b *bench) quickstartHCL() string {
	dist := filepath.Join(b.root, "rocketmq-runtime", "target", "rocketmq-all-"+*rocketmqV+"-bin-release.zip")
	install := filepath.Join(b.work, "quickstart", "rmq")
	return header + fmt.Sprintf(`
provider "rocketmq" {}

resource "rocketmq_nameserver" "ns" {
  install_dir  = %[1]q
  distribution = %[2]q
  listen_port  = %[3]d
  jvm_heap     = "256m"
  jvm_options  = ["-XX:+UseSerialGC"]
}

resource "rocketmq_broker" "b" {
  install_dir  = %[1]q
  distribution = %[2]q
  broker_name  = "bench-a"
  name_servers = [rocketmq_nameserver.ns.address]
  listen_port  = %[4]d
  jvm_heap     = "512m"
  jvm_options  = ["-XX:+UseSerialGC"]
}

resource "rocketmq_topic" "t" {
  name         = "BenchTopic"
  name_servers = [rocketmq_nameserver.ns.address]
  depends_on   = [rocketmq_broker.b]
}
`, install, dist, b.nsPort, b.brokerPort)
}

const peerHCL = header + `
provider "peer" {}

resource "peer_nameserver" "ns" {
  name = "9876"
}

resource "peer_broker" "b" {
  name = "10911"
  refs = [peer_nameserver.ns.address]
}

resource "peer_topic" "t" {
  name       = "BenchTopic"
  refs       = [peer_nameserver.ns.address]
  depends_on = [peer_broker.b]
}
`

func (b *bench) topicsHCL(n int) string {
	return header + fmt.Sprintf(`
provider "rocketmq" {
  name_servers = ["127.0.0.1:%d"]
}

resource "rocketmq_topic" "t" {
  count = %d
  name  = "bench-${count.index}"
}
`, b.nsPort, n)
}

func peerTopicsHCL(n int) string {
	return header + fmt.Sprintf(`
provider "peer" {}

resource "peer_topic" "t" {
  count = %d
  name  = "bench-${count.index}"
}
`, n)
}

func dataHCL(n int) string {
	return header + fmt.Sprintf(`
resource "terraform_data" "t" {
  count = %d
  input = "bench-${count.index}"
}
`, n)
}

// backends lists the pids of running backends of this bench.
func (b *bench) backends() []int {
	files, _ := filepath.Glob(filepath.Join(b.runtime, "tfrocketmq", "*.pid"))
	var pids []int
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if pid, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil && syscall.Kill(pid, 0) == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// stopBackends stops every backend and waits until they have exited.
func (b *bench) stopBackends() {
	pids := b.backends()
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGTERM)
	}
	deadline := time.Now().Add(60 * time.Second)
	for _, pid := range pids {
		for syscall.Kill(pid, 0) == nil && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if syscall.Kill(pid, 0) == nil {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// awaitArchive waits until the class-data archive a stopped backend wrote is
// in place, so cold starts are measured with it, as users meet them after
// the first day.
func (b *bench) awaitArchive() bool {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		for _, pattern := range []string{"backend.jsa", "backend.jsa.new"} {
			if m, _ := filepath.Glob(filepath.Join(b.cache, "terraform-provider-rocketmq", "*", pattern)); len(m) > 0 {
				return true
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

type series []time.Duration

func (s series) median() time.Duration {
	c := append(series(nil), s...)
	sort.Slice(c, func(i, j int) bool { return c[i] < c[j] })
	if len(c) == 0 {
		return 0
	}
	if len(c)%2 == 1 {
		return c[len(c)/2]
	}
	return (c[len(c)/2-1] + c[len(c)/2]) / 2
}

func ms(d time.Duration) string { return fmt.Sprintf("%7.0f ms", float64(d.Microseconds())/1000) }

func ratio(a, b time.Duration) string {
	if b == 0 {
		return "  n/a"
	}
	return fmt.Sprintf("%5.2f×", float64(a)/float64(b))
}

func (b *bench) run() error {
	fmt.Println("== setting up: quick start layout, Go peer, class-data archive")
	qs, err := b.dir("quickstart", b.quickstartHCL())
	if err != nil {
		return err
	}
	if _, _, err := b.tf(qs, nil, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return err
	}
	peer, err := b.dir("peer", peerHCL)
	if err != nil {
		return err
	}
	if _, _, err := b.tf(peer, nil, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return err
	}
	// A first backend records the class-data archive when it stops.
	if _, _, err := b.tf(qs, nil, "plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		return err
	}
	b.stopBackends()
	archive := b.awaitArchive()

	plan := []string{"plan", "-detailed-exitcode", "-input=false", "-no-color", "-lock=false"}
	validate := []string{"validate", "-no-color"}
	perProcess := []string{"TF_ROCKETMQ_BACKEND=process"}

	var schemaWarm, schemaCold, backendWarm, backendCold, schemaPeer series
	var planWarm, planCold, planProc, planPeer, valWarm, valCold, valPeer series
	for i := 0; i < *pairs; i++ {
		// cold: no backend running
		b.stopBackends()
		s, f, err := b.execToAnswers(qs, "tfrocketmq/rocketmq", "terraform-provider-rocketmq_v0.1.0")
		if err != nil {
			return err
		}
		schemaCold, backendCold = append(schemaCold, s), append(backendCold, f)
		s, f, err = b.execToAnswers(qs, "tfrocketmq/rocketmq", "terraform-provider-rocketmq_v0.1.0")
		if err != nil {
			return err
		}
		schemaWarm, backendWarm = append(schemaWarm, s), append(backendWarm, f)
		s, _, err = b.execToAnswers(peer, "benchpeer/peer", "terraform-provider-peer_v"+peerVersion)
		if err != nil {
			return err
		}
		schemaPeer = append(schemaPeer, s)

		b.stopBackends()
		for _, m := range []struct {
			s    *series
			dir  string
			env  []string
			args []string
		}{
			{&planCold, qs, nil, plan}, {&planWarm, qs, nil, plan}, {&planPeer, peer, nil, plan},
			{&planProc, qs, perProcess, plan},
		} {
			d, _, err := b.tf(m.dir, m.env, m.args...)
			if err != nil {
				return err
			}
			*m.s = append(*m.s, d)
		}
		b.stopBackends()
		for _, m := range []struct {
			s   *series
			dir string
		}{{&valCold, qs}, {&valWarm, qs}, {&valPeer, peer}} {
			d, _, err := b.tf(m.dir, nil, validate...)
			if err != nil {
				return err
			}
			*m.s = append(*m.s, d)
		}
	}

	var bigOurs, bigPeer, bigGo series
	if *topics > 0 {
		fmt.Printf("== creating %d topics, %d terraform_data and %d topics of the Go peer\n", *topics, *topics, *topics)
		tdir, err := b.dir("topics", b.topicsHCL(*topics))
		if err != nil {
			return err
		}
		if _, _, err := b.tf(tdir, nil, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20"); err != nil {
			return err
		}
		ddir, err := b.dir("data", dataHCL(*topics))
		if err != nil {
			return err
		}
		if _, _, err := b.tf(ddir, nil, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
			return err
		}
		gdir, err := b.dir("peer-topics", peerTopicsHCL(*topics))
		if err != nil {
			return err
		}
		if _, _, err := b.tf(gdir, nil, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
			return err
		}
		for i := 0; i < *bigPairs; i++ {
			d, _, err := b.tf(tdir, nil, plan...)
			if err != nil {
				return err
			}
			bigOurs = append(bigOurs, d)
			d, _, err = b.tf(ddir, nil, plan...)
			if err != nil {
				return err
			}
			bigPeer = append(bigPeer, d)
			d, _, err = b.tf(gdir, nil, plan...)
			if err != nil {
				return err
			}
			bigGo = append(bigGo, d)
		}
		_ = os.RemoveAll(filepath.Join(tdir, "terraform.tfstate")) // the cluster goes with the destroy below
	}

	// Idle RSS: the backend after the runs, with no session attached.
	time.Sleep(3 * time.Second)
	rss := "no backend running"
	if pids := b.backends(); len(pids) == 1 {
		rss = vmRSS(pids[0])
	}

	destroyLog := filepath.Join(b.work, "destroy.log")
	wall, _, err := b.tf(qs, []string{"TF_LOG_PROVIDER=debug", "TF_LOG_PATH=" + destroyLog}, "destroy", "-auto-approve", "-input=false", "-no-color")
	if err != nil {
		return err
	}
	stops, n := servedApplies(destroyLog)

	var seedRun *seedResult
	if *seed {
		if seedRun, err = b.runSeed(); err != nil {
			return err
		}
	}

	fmt.Println()
	fmt.Printf("terraform-provider-rocketmq bench — %s, %d pairs (A then B), medians; ratio = ours / Go peer\n", *tfBinary, *pairs)
	fmt.Printf("class-data archive recorded before the cold runs: %v\n\n", archive)
	fmt.Println("exec → first GetProviderSchema answer")
	fmt.Printf("  warm backend   %s   cold (none running) %s   Go peer %s\n", ms(schemaWarm.median()), ms(schemaCold.median()), ms(schemaPeer.median()))
	fmt.Println("exec → first answer from the Java backend (StopProvider)")
	fmt.Printf("  warm backend   %s   cold (none running) %s\n", ms(backendWarm.median()), ms(backendCold.median()))
	fmt.Println("no-op plan, quick start (3 resources, chained)")
	fmt.Printf("  warm backend   %s  %s   cold %s  %s   JVM per launch %s  %s   Go peer %s\n",
		ms(planWarm.median()), ratio(planWarm.median(), planPeer.median()),
		ms(planCold.median()), ratio(planCold.median(), planPeer.median()),
		ms(planProc.median()), ratio(planProc.median(), planPeer.median()), ms(planPeer.median()))
	fmt.Println("validate, quick start")
	fmt.Printf("  warm backend   %s  %s   cold %s  %s   Go peer %s\n",
		ms(valWarm.median()), ratio(valWarm.median(), valPeer.median()),
		ms(valCold.median()), ratio(valCold.median(), valPeer.median()), ms(valPeer.median()))
	if *topics > 0 {
		fmt.Printf("no-op plan, %d topics vs %d terraform_data (built in, no plugin) and %d topics of the Go peer (%d runs each)\n", *topics, *topics, *topics, *bigPairs)
		fmt.Printf("  topics         %s  %s   terraform_data %s   Go peer %s  %s\n", ms(bigOurs.median()), ratio(bigOurs.median(), bigPeer.median()), ms(bigPeer.median()),
			ms(bigGo.median()), ratio(bigGo.median(), bigPeer.median()))
	}
	fmt.Println("destroy, quick start")
	fmt.Printf("  wall %s   sum of its %d stops (provider's ApplyResourceChange) %s   ratio %s\n", ms(wall), n, ms(stops), ratio(wall, stops))
	fmt.Printf("backend idle RSS: %s (heap capped at -Xmx256m)\n", rss)
	if seedRun != nil {
		seedRun.print()
	}
	return nil
}

// servedApply matches the backend's line in Terraform's log, in its text form
// ("served ApplyResourceChange: ... millis=123") or as JSON.
var servedApply = regexp.MustCompile(`served ApplyResourceChange"?[:,].*?"?millis"?[=:]"?(\d+)`)

// servedApplies sums the durations the backend logged for ApplyResourceChange.
func servedApplies(logFile string) (time.Duration, int) {
	f, err := os.Open(logFile)
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	var total time.Duration
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		if m := servedApply.FindStringSubmatch(sc.Text()); m != nil {
			v, _ := strconv.Atoi(m[1])
			total += time.Duration(v) * time.Millisecond
			n++
		}
	}
	return total, n
}

func vmRSS(pid int) string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			kb, _ := strconv.Atoi(strings.Fields(line)[1])
			return fmt.Sprintf("%d MB", kb/1024)
		}
	}
	return "unknown"
}

// execToAnswers starts the provider installed in dir as Terraform does and
// returns the time from exec to its GetProviderSchema answer and to its
// StopProvider answer (which only the backend gives).
func (b *bench) execToAnswers(dir, source, binary string) (time.Duration, time.Duration, error) {
	matches, _ := filepath.Glob(filepath.Join(dir, ".terraform", "providers", "registry.terraform.io", source, "*", "linux_amd64", binary))
	if len(matches) != 1 {
		return 0, 0, fmt.Errorf("no installed %s in %s", binary, dir)
	}
	cmd := exec.Command(matches[0])
	cmd.Dir = dir
	cmd.Env = b.env("TF_PLUGIN_MAGIC_COOKIE="+cookie, "PLUGIN_PROTOCOL_VERSIONS=6")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, err
	}
	started := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return 0, 0, fmt.Errorf("%s printed no handshake: %v", binary, err)
	}
	parts := strings.Split(strings.TrimSpace(line), "|")
	if len(parts) < 4 {
		return 0, 0, fmt.Errorf("handshake %q", line)
	}
	conn, err := grpc.NewClient(parts[2]+"://"+parts[3], grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodecV2(rawCodec{}), grpc.MaxCallRecvMsgSize(256<<20)))
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out := &frame{}
	if err := conn.Invoke(ctx, "/tfplugin6.Provider/GetProviderSchema", &frame{}, out); err != nil {
		return 0, 0, err
	}
	schema := time.Since(started)
	if err := conn.Invoke(ctx, "/tfplugin6.Provider/StopProvider", &frame{}, out); err != nil {
		return 0, 0, err
	}
	return schema, time.Since(started), nil
}

// frame and rawCodec carry message bytes untouched: the bench needs no
// generated code for the two calls it makes.
type frame struct{ data []byte }

type rawCodec struct{}

func (rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	return mem.BufferSlice{mem.SliceBuffer(v.(*frame).data)}, nil
}

func (rawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	v.(*frame).data = data.Materialize()
	return nil
}

func (rawCodec) Name() string { return "proto" }

var _ encoding.CodecV2 = rawCodec{}
