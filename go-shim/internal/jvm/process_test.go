package jvm

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/fallback"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/logs"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/rawcodec"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/testbackend"
)

func TestMain(m *testing.M) {
	if os.Getenv(testbackend.EnvRole) == "fakejava" {
		os.Exit(testbackend.FakeJavaMain())
	}
	os.Exit(m.Run())
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type fixture struct {
	dir, home, record string
	log               *lockedBuffer
	opts              Options
}

// newFixture lays out an installation directory with a jar and a fake JDK
// whose java runs this test binary in the given FakeJavaMain mode.
func newFixture(t *testing.T, version, mode string) *fixture {
	t.Helper()
	root := t.TempDir()
	f := &fixture{dir: filepath.Join(root, "install"), home: filepath.Join(root, "jdk"), record: filepath.Join(root, "record"), log: &lockedBuffer{}}
	if err := os.MkdirAll(filepath.Join(f.dir, "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.dir, "lib", "server.jar"), []byte("PK"), 0o644); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := testbackend.FakeJDK(f.home, exe, version, map[string]string{testbackend.EnvRecord: f.record, testbackend.EnvMode: mode}); err != nil {
		t.Fatal(err)
	}
	f.opts = Options{
		Dir:          f.dir,
		ExtraOpts:    []string{"-Dfoo=bar", "-Xmx64m"},
		Log:          logs.New(logs.NewSink(f.log), "rocketmq.shim"),
		Getenv:       func(k string) string { return map[string]string{"JAVA_HOME": f.home}[k] },
		ReadyTimeout: 5 * time.Second,
		StopTimeout:  2 * time.Second,
	}
	return f
}

// recorded returns the fake java's arguments and pid.
func (f *fixture) recorded(t *testing.T) ([]string, int) {
	t.Helper()
	data, err := os.ReadFile(f.record)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	var pid int
	last := lines[len(lines)-1]
	if _, err := fmtSscan(strings.TrimPrefix(last, "pid="), &pid); err != nil {
		t.Fatalf("bad record %q", data)
	}
	return lines[:len(lines)-1], pid
}

func connCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func gone(pid int) bool { return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) }

func fallbackError(t *testing.T, err error) *fallback.Error {
	t.Helper()
	var fe *fallback.Error
	if !errors.As(err, &fe) {
		t.Fatalf("want *fallback.Error, got %v", err)
	}
	return fe
}

func TestLaunchServesAndStops(t *testing.T) {
	f := newFixture(t, "17.0.15", "")
	b := Launch(f.opts)
	defer b.Stop()

	conn, err := b.Conn(connCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	out := &rawcodec.Frame{}
	if err := conn.Invoke(connCtx(t), "/tfplugin6.Provider/Echo", &rawcodec.Frame{Data: []byte("ping\xff")}, out); err != nil {
		t.Fatal(err)
	}
	if string(out.Data) != "ping\xff" {
		t.Fatalf("echo %q", out.Data)
	}

	args, pid := f.recorded(t)
	socket := args[len(args)-2]
	want := []string{"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-XX:+IgnoreUnrecognizedVMOptions",
		"-Dfoo=bar", "-Xmx64m", "-cp", filepath.Join(f.dir, "lib") + "/*", "dev.tfrocketmq.Main", "--socket", socket,
		"--exit-with-stdin"}
	if strings.Join(args, " ") != strings.Join(want, " ") {
		t.Fatalf("args\n got %q\nwant %q", args, want)
	}
	if filepath.Base(socket) != "provider.sock" {
		t.Fatalf("socket %s", socket)
	}
	fi, err := os.Stat(filepath.Dir(socket))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("private dir: %v %v", fi, err)
	}
	if pgid, err := syscall.Getpgid(pid); err != nil || pgid != pid {
		t.Fatalf("JVM not in its own process group: pgid %d, %v", pgid, err)
	}

	start := time.Now()
	b.Stop()
	if d := time.Since(start); d > time.Second {
		t.Errorf("Stop took %s", d)
	}
	if !gone(pid) {
		t.Error("JVM still running after Stop")
	}
	if _, err := os.Stat(filepath.Dir(socket)); !os.IsNotExist(err) {
		t.Errorf("private dir not removed: %v", err)
	}
	if _, err := b.Conn(connCtx(t)); err == nil {
		t.Error("Conn after Stop succeeded")
	}

	log := f.log.String()
	for _, want := range []string{
		`{"@level":"warn","@message":"json from java","@module":"rocketmq.server","@timestamp":"2025-01-02T03:04:05.123456Z"}` + "\n",
		`{"@level":"info","@message":"fake java starting","@module":"rocketmq.jvm",`,
		`{"@level":"debug","@message":"stdout noise before ready","@module":"rocketmq.jvm",`,
		`"@message":"Java backend ready","@module":"rocketmq.shim"`,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %s\nlog:\n%s", want, log)
		}
	}
	if strings.Contains(log, "TFROCKETMQ-READY") {
		t.Error("readiness line was logged")
	}
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		if !logs.IsHCLogJSON([]byte(line)) {
			t.Errorf("not an hclog line: %s", line)
		}
	}
}

func TestLaunchJavaTooOld(t *testing.T) {
	f := newFixture(t, "11.0.2", "")
	b := Launch(f.opts)
	defer b.Stop()
	_, err := b.Conn(connCtx(t))
	fe := fallbackError(t, err)
	if !strings.Contains(fe.Error(), "Java 11.0.2") || !strings.Contains(fe.Error(), "JAVA_HOME") {
		t.Fatalf("got %v", fe)
	}
	if _, err := os.Stat(f.record); !os.IsNotExist(err) {
		t.Fatal("an old Java was started")
	}
}

func TestLaunchMissingJars(t *testing.T) {
	f := newFixture(t, "17", "")
	f.opts.Dir = t.TempDir()
	b := Launch(f.opts)
	defer b.Stop()
	_, err := b.Conn(connCtx(t))
	if fe := fallbackError(t, err); !strings.Contains(fe.Detail, "No .jar files") {
		t.Fatalf("got %v", fe)
	}
}

func TestLaunchExitBeforeReady(t *testing.T) {
	f := newFixture(t, "17", "exit")
	b := Launch(f.opts)
	defer b.Stop()
	_, err := b.Conn(connCtx(t))
	fe := fallbackError(t, err)
	for _, want := range []string{"failed to start", "exit status 1", "Could not find or load main class dev.tfrocketmq.Main", "[INFO] fake java starting", "[WARN] json from java", "stdout noise before ready"} {
		if !strings.Contains(fe.Error(), want) {
			t.Errorf("%q lacks %q", fe.Error(), want)
		}
	}
}

func TestLaunchNotReadyInTime(t *testing.T) {
	f := newFixture(t, "17", "hang")
	f.opts.ReadyTimeout = 300 * time.Millisecond
	b := Launch(f.opts)
	defer b.Stop()
	_, err := b.Conn(connCtx(t))
	if fe := fallbackError(t, err); !strings.Contains(fe.Detail, "not ready within 300ms") || !strings.Contains(fe.Detail, "fake java starting") {
		t.Fatalf("got %v", fe)
	}
	_, pid := f.recorded(t)
	deadline := time.Now().Add(2 * time.Second)
	for !gone(pid) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !gone(pid) {
		t.Fatal("hung JVM not killed")
	}
}

func TestLaunchDiesAfterReady(t *testing.T) {
	f := newFixture(t, "17", "die")
	b := Launch(f.opts)
	defer b.Stop()
	if _, err := b.Conn(connCtx(t)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := b.Conn(connCtx(t)); err != nil {
			if fe := fallbackError(t, err); !strings.Contains(fe.Error(), "stopped unexpectedly") || !strings.Contains(fe.Detail, "fatal: backend crashed") {
				t.Fatalf("got %v", fe)
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("death of the JVM went unnoticed")
}

func TestStopKillsStubbornJVM(t *testing.T) {
	f := newFixture(t, "17", "stubborn")
	f.opts.StopTimeout = 300 * time.Millisecond
	b := Launch(f.opts)
	if _, err := b.Conn(connCtx(t)); err != nil {
		t.Fatal(err)
	}
	_, pid := f.recorded(t)
	start := time.Now()
	b.Stop()
	if d := time.Since(start); d < 300*time.Millisecond || d > 2*time.Second {
		t.Errorf("Stop took %s", d)
	}
	if !gone(pid) {
		t.Fatal("stubborn JVM survived")
	}
}

func TestStopWhileStarting(t *testing.T) {
	f := newFixture(t, "17", "hang")
	b := Launch(f.opts)
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	b.Stop()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Stop took %s", d)
	}
	if _, err := b.Conn(connCtx(t)); err == nil {
		t.Fatal("Conn succeeded after Stop")
	}
}

func TestConnHonoursContext(t *testing.T) {
	f := newFixture(t, "17", "hang")
	b := Launch(f.opts)
	defer b.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := b.Conn(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}

func fmtSscan(s string, pid *int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	*pid = n
	return 1, err
}
