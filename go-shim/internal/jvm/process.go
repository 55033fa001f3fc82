package jvm

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"google.golang.org/grpc"

	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/fallback"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/logs"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/proxy"
)

const (
	// MainClass is the server's entry point.
	MainClass = "dev.tfrocketmq.Main"
	// ReadyLine is what the server prints on stdout once it serves gRPC.
	ReadyLine = "TFROCKETMQ-READY"
	// OptsEnv holds extra JVM options, separated by whitespace.
	OptsEnv = "TF_ROCKETMQ_JAVA_OPTS"
	// SocketName is the server's socket inside the private directory.
	SocketName = "provider.sock"
	// LogModule is the @module of lines relayed from the JVM.
	LogModule = "rocketmq.jvm"

	defaultReadyTimeout = 60 * time.Second
	defaultStopTimeout  = 5 * time.Second
	tailLines           = 20
	maxLine             = 1 << 20
)

// BaseOptions favour start-up time and a small footprint over peak
// throughput.
var BaseOptions = []string{
	"-XX:TieredStopAtLevel=1",
	"-XX:+UseSerialGC",
	"-Xss512k",
	"-XX:+IgnoreUnrecognizedVMOptions",
}

// Options configure Launch.
type Options struct {
	// Dir is the installation directory; the classpath is Dir/lib/*.
	Dir string
	// ExtraOpts are added after the built-in JVM options.
	ExtraOpts []string
	// Log receives the shim's own messages; the JVM's output goes to
	// Log.Named(LogModule).
	Log *logs.Logger
	// Getenv reads the environment (os.Getenv when nil).
	Getenv func(string) string
	// ReadyTimeout bounds the wait for ReadyLine (60 s when zero).
	ReadyTimeout time.Duration
	// StopTimeout bounds the wait after SIGTERM before SIGKILL (5 s when zero).
	StopTimeout time.Duration
}

// InstallDir returns the directory holding the running executable, with
// symlinks resolved.
func InstallDir() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	exe, err = filepath.EvalSymlinks(exe)
	if err != nil {
		return "", err
	}
	return filepath.Dir(exe), nil
}

// Backend is the Java server as seen by the proxy. It implements
// proxy.Backend.
type Backend struct {
	opts   Options
	log    *logs.Logger
	jvmLog *logs.Logger

	settled chan struct{} // closed once the first outcome is known
	tail    *tail

	mu       sync.Mutex
	conn     *grpc.ClientConn
	err      error // why the backend cannot be used, if it cannot
	stopping bool
	cmd      *exec.Cmd
	stdin    *os.File
	dir      string
	exited   chan struct{} // closed when the started JVM has been reaped

	settleOnce sync.Once
	stopOnce   sync.Once
}

var _ proxy.Backend = (*Backend)(nil)

var errShuttingDown = &fallback.Error{Summary: "terraform-provider-rocketmq is shutting down"}

// Launch starts finding, checking and starting Java in the background and
// returns at once. Calls to Conn wait for the outcome.
func Launch(opts Options) *Backend {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Log == nil {
		opts.Log = logs.New(logs.NewSink(io.Discard), "rocketmq.shim")
	}
	if opts.ReadyTimeout <= 0 {
		opts.ReadyTimeout = defaultReadyTimeout
	}
	if opts.StopTimeout <= 0 {
		opts.StopTimeout = defaultStopTimeout
	}
	b := &Backend{
		opts:    opts,
		log:     opts.Log,
		jvmLog:  opts.Log.Named(LogModule),
		settled: make(chan struct{}),
		tail:    &tail{max: tailLines},
		exited:  make(chan struct{}),
	}
	go b.run()
	return b
}

// Conn implements proxy.Backend.
func (b *Backend) Conn(ctx context.Context) (grpc.ClientConnInterface, error) {
	select {
	case <-b.settled:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return nil, b.err
	}
	return b.conn, nil
}

// settle records the first outcome; later calls only update err.
func (b *Backend) settle(conn *grpc.ClientConn, err error) {
	b.mu.Lock()
	if b.stopping && conn != nil {
		_ = conn.Close()
		conn, err = nil, errShuttingDown
	}
	b.conn, b.err = conn, err
	b.mu.Unlock()
	b.settleOnce.Do(func() { close(b.settled) })
}

func (b *Backend) run() {
	started := time.Now()
	java, err := Check(b.opts.Getenv)
	if err != nil {
		b.log.Error("Java is not usable", "error", err)
		b.settle(nil, err)
		return
	}
	if java.Version == "" {
		b.log.Warn("could not determine the Java version; trying it anyway", "java", java.Path)
	}
	if err := checkLib(b.opts.Dir); err != nil {
		b.log.Error("installation is incomplete", "error", err)
		b.settle(nil, err)
		return
	}

	ready := make(chan struct{})
	outputDone := make(chan struct{})
	socket, err := b.start(java, ready, outputDone)
	if err != nil {
		b.log.Error("could not start the Java backend", "error", err)
		b.settle(nil, &fallback.Error{
			Summary: "The Java backend of terraform-provider-rocketmq failed to start",
			Detail:  fmt.Sprintf("Running %s (from %s) failed: %v", java.Path, java.Origin, err),
		})
		return
	}

	timer := time.NewTimer(b.opts.ReadyTimeout)
	defer timer.Stop()
	select {
	case <-ready:
		conn, err := proxy.Dial(socket)
		if err != nil {
			b.settle(nil, &fallback.Error{Summary: "terraform-provider-rocketmq could not connect to its Java backend", Detail: err.Error()})
			break
		}
		b.log.Info("Java backend ready", "elapsed_ms", time.Since(started).Milliseconds(), "java", java.Path, "java_version", java.Version)
		b.settle(conn, nil)
	case <-b.exited:
		waitOrTimeout(outputDone, 2*time.Second)
		err := b.startFailure(fmt.Sprintf("The Java process %s", b.describeExit()), java)
		b.log.Error("Java backend exited before it was ready", "error", err)
		b.settle(nil, err)
		return
	case <-timer.C:
		b.signal(syscall.SIGKILL)
		err := b.startFailure(fmt.Sprintf("The Java process was not ready within %s and was killed", b.opts.ReadyTimeout), java)
		b.log.Error("Java backend did not start in time", "error", err)
		b.settle(nil, err)
		return
	}

	// Once ready, an exit that Stop did not ask for makes later calls
	// fail with an explanation instead of a connection error.
	<-b.exited
	waitOrTimeout(outputDone, 2*time.Second)
	b.mu.Lock()
	stopping := b.stopping
	b.mu.Unlock()
	if stopping {
		b.log.Debug("Java backend stopped", "exit", b.describeExit())
		return
	}
	err = &fallback.Error{
		Summary: "The Java backend of terraform-provider-rocketmq stopped unexpectedly",
		Detail:  fmt.Sprintf("The Java process %s.%s", b.describeExit(), b.tail.section()),
	}
	b.log.Error("Java backend exited unexpectedly", "error", err)
	b.settle(nil, err)
}

func (b *Backend) startFailure(what string, java *Java) error {
	version := java.Version
	if version == "" {
		version = "of unknown version"
	}
	return &fallback.Error{
		Summary: "The Java backend of terraform-provider-rocketmq failed to start",
		Detail: fmt.Sprintf("%s. Java: %s (%s, from %s). Extra JVM options come from %s; to use another Java, set JAVA_HOME to a JDK 17+.%s",
			what, java.Path, version, java.Origin, OptsEnv, b.tail.section()),
	}
}

func checkLib(dir string) error {
	lib := filepath.Join(dir, "lib")
	jars, _ := filepath.Glob(filepath.Join(lib, "*.jar"))
	if dir == "" || len(jars) == 0 {
		return &fallback.Error{
			Summary: "terraform-provider-rocketmq is incompletely installed",
			Detail:  fmt.Sprintf("No .jar files were found in %s, which must sit next to the terraform-provider-rocketmq executable. Reinstall the provider", lib),
		}
	}
	return nil
}

// Command returns the JVM command line for the server.
func Command(java, dir string, extra []string, socket string) []string {
	args := []string{java}
	args = append(args, BaseOptions...)
	args = append(args, extra...)
	return append(args,
		"-cp", filepath.Join(dir, "lib")+string(filepath.Separator)+"*",
		MainClass, "--socket", socket, "--exit-with-stdin")
}

// start creates the private directory and the pipes and starts the JVM.
func (b *Backend) start(java *Java, ready, outputDone chan struct{}) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopping {
		return "", errors.New("the shim is shutting down")
	}
	dir, err := privateDir()
	if err != nil {
		return "", err
	}
	b.dir = dir
	socket := filepath.Join(dir, SocketName)

	inR, inW, err := os.Pipe()
	if err != nil {
		return "", err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		closeAll(inR, inW)
		return "", err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		closeAll(inR, inW, outR, outW)
		return "", err
	}

	argv := Command(java.Path, b.opts.Dir, b.opts.ExtraOpts, socket)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, errW
	// Its own process group keeps a terminal's SIGINT away from the JVM;
	// Terraform interrupts providers with StopProvider instead.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	b.log.Debug("starting Java backend", "command", strings.Join(argv, " "))
	if err := cmd.Start(); err != nil {
		closeAll(inR, inW, outR, outW, errR, errW)
		return "", err
	}
	// The child has its copies; keep only our ends.
	closeAll(inR, outW, errW)
	b.cmd, b.stdin = cmd, inW

	var readers sync.WaitGroup
	readers.Add(2)
	go func() {
		defer readers.Done()
		b.readStdout(outR, ready)
	}()
	go func() {
		defer readers.Done()
		b.readStderr(errR)
	}()
	go func() {
		readers.Wait()
		close(outputDone)
	}()
	go func() {
		_ = cmd.Wait()
		close(b.exited)
	}()
	return socket, nil
}

// privateDir creates a fresh directory only the current user can enter.
// Unix socket paths are limited to about 100 bytes, so a long TMPDIR is
// passed over in favour of /tmp.
func privateDir() (string, error) {
	dir, err := os.MkdirTemp("", "tfrocketmq-")
	if err == nil && len(filepath.Join(dir, SocketName)) > 100 {
		_ = os.RemoveAll(dir)
		dir, err = os.MkdirTemp("/tmp", "tfrocketmq-")
	}
	if err != nil {
		return "", err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		_ = os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

func closeAll(files ...*os.File) {
	for _, f := range files {
		_ = f.Close()
	}
}

func (b *Backend) readStdout(r *os.File, ready chan struct{}) {
	defer r.Close()
	signalled := false
	readLines(r, func(line []byte) {
		if !signalled && strings.TrimSpace(string(line)) == ReadyLine {
			signalled = true
			close(ready)
			return
		}
		b.jvmLog.Debug(string(line), "stream", "stdout")
		// The JVM reports start-up failures (bad options, heap too
		// small) on stdout.
		b.tail.add(string(line))
	})
}

func (b *Backend) readStderr(r *os.File) {
	defer r.Close()
	readLines(r, func(line []byte) {
		b.jvmLog.Forward(line)
		b.tail.add(logs.Message(line))
	})
}

// readLines calls fn with each line of r, without its line ending. Lines
// longer than maxLine are split. fn must not keep the slice.
func readLines(r io.Reader, fn func([]byte)) {
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	for {
		chunk, isPrefix, err := br.ReadLine()
		if err != nil {
			if len(buf) > 0 {
				fn(buf)
			}
			return
		}
		buf = append(buf, chunk...)
		if isPrefix && len(buf) < maxLine {
			continue
		}
		fn(buf)
		buf = buf[:0]
	}
}

// signal sends sig to the JVM's process group.
func (b *Backend) signal(sig syscall.Signal) {
	b.mu.Lock()
	cmd := b.cmd
	b.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return
	}
	if err := syscall.Kill(-cmd.Process.Pid, sig); err != nil {
		_ = cmd.Process.Signal(sig)
	}
}

func (b *Backend) describeExit() string {
	b.mu.Lock()
	cmd := b.cmd
	b.mu.Unlock()
	if cmd == nil || cmd.ProcessState == nil {
		return "exited"
	}
	return "exited (" + cmd.ProcessState.String() + ")"
}

// Stop shuts the JVM down: it closes the JVM's stdin, sends SIGTERM to its
// process group, and after StopTimeout sends SIGKILL; then it removes the
// private directory. It is safe to call more than once and at any time.
func (b *Backend) Stop() {
	b.stopOnce.Do(func() {
		b.mu.Lock()
		b.stopping = true
		conn, stdin, cmd, dir := b.conn, b.stdin, b.cmd, b.dir
		b.mu.Unlock()

		if conn != nil {
			_ = conn.Close()
		}
		if stdin != nil {
			_ = stdin.Close()
		}
		if cmd != nil {
			select {
			case <-b.exited:
			default:
				b.signal(syscall.SIGTERM)
				if !waitOrTimeout(b.exited, b.opts.StopTimeout) {
					b.log.Warn("Java backend did not stop in time; killing it", "timeout", b.opts.StopTimeout.String())
					b.signal(syscall.SIGKILL)
					waitOrTimeout(b.exited, 2*time.Second)
				}
			}
		}
		if dir != "" {
			_ = os.RemoveAll(dir)
		}
		b.settle(nil, errShuttingDown)
	})
}

func waitOrTimeout(ch <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ch:
		return true
	case <-t.C:
		return false
	}
}

// tail keeps the last lines of the JVM's output for error messages.
type tail struct {
	mu    sync.Mutex
	max   int
	lines []string
}

func (t *tail) add(line string) {
	if len(line) > 1000 {
		line = line[:1000] + "..."
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, line)
	if len(t.lines) > t.max {
		t.lines = t.lines[len(t.lines)-t.max:]
	}
}

// section renders the kept lines as the end of an error detail.
func (t *tail) section() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) == 0 {
		return " It printed nothing"
	}
	return "\n\nLast lines of its output:\n" + strings.Join(t.lines, "\n")
}
