package backend

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/jvm"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/logs"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/rawcodec"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/session"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/testbackend"
)

// The test binary doubles as a fake java.
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

// fixture is an installed provider with a fake JDK, and runtime and cache
// directories of its own; its backends are killed when the test ends.
type fixture struct {
	root, install string
	vars          map[string]string
	log           *lockedBuffer
}

func newFixture(t *testing.T, extra map[string]string) *fixture {
	t.Helper()
	root := t.TempDir()
	f := &fixture{root: root, install: filepath.Join(root, "install"), log: &lockedBuffer{}}
	f.writeJar(t, "PK")
	jdk := filepath.Join(root, "jdk")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	fakeEnv := map[string]string{
		testbackend.EnvStartLog:     filepath.Join(root, "starts"),
		testbackend.EnvAttachRecord: filepath.Join(root, "attaches"),
	}
	for k, v := range extra {
		fakeEnv[k] = v
	}
	if err := testbackend.FakeJDK(jdk, self, "17.0.15", fakeEnv); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"run", "cache"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	f.vars = map[string]string{
		"JAVA_HOME":       jdk,
		"XDG_RUNTIME_DIR": shortDir(t),
		"XDG_CACHE_HOME":  filepath.Join(root, "cache"),
		"HOME":            root,
	}
	t.Cleanup(func() { f.killBackends() })
	return f
}

// writeJar (re)writes the build's only jar and its manifest: new content is
// a new build.
func (f *fixture) writeJar(t *testing.T, content string) {
	t.Helper()
	lib := filepath.Join(f.install, "lib")
	if err := os.MkdirAll(lib, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(lib, "server.jar"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	manifest := fmt.Sprintf("%x %d server.jar\n", sha256.Sum256([]byte(content)), len(content))
	if err := os.WriteFile(filepath.Join(lib, ManifestName), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) getenv(k string) string { return f.vars[k] }

func (f *fixture) open(t *testing.T) *Shared {
	t.Helper()
	s := Open(Options{
		Dir:    f.install,
		Getenv: f.getenv,
		Log:    logs.New(logs.NewSink(f.log), "rocketmq.shim"),
		Request: func(build string) session.Request {
			return session.Request{Build: build, WorkingDirectory: "/work/dir", Environment: map[string]string{"HOME": f.root, "TF_LOG": "debug"}, LauncherPid: os.Getpid()}
		},
		StartTimeout: 10 * time.Second,
	})
	t.Cleanup(s.Close)
	return s
}

// shortDir is a temporary directory whose path is short enough for sockets.
func shortDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("/tmp", "rt")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

func (f *fixture) pids() []int {
	files, _ := filepath.Glob(filepath.Join(f.vars["XDG_RUNTIME_DIR"], "tfrocketmq", "*.pid"))
	var out []int
	for _, file := range files {
		data, _ := os.ReadFile(file)
		if pid, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
			out = append(out, pid)
		}
	}
	return out
}

func (f *fixture) killBackends() {
	for _, pid := range f.pids() {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

func (f *fixture) starts(t *testing.T) []string {
	t.Helper()
	data, _ := os.ReadFile(filepath.Join(f.root, "starts"))
	return strings.Fields(string(data))
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func attached(t *testing.T, s *Shared) *session.Session {
	t.Helper()
	if _, err := s.Conn(ctxT(t)); err != nil {
		t.Fatalf("no connection: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sess
}

func echo(t *testing.T, s *Shared) {
	t.Helper()
	conn, err := s.Conn(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	out := &rawcodec.Frame{}
	if err := conn.Invoke(ctxT(t), "/tfplugin6.Provider/Echo", &rawcodec.Frame{Data: []byte("ping")}, out, grpc.ForceCodecV2(rawcodec.Codec{})); err != nil {
		t.Fatal(err)
	}
	if string(out.Data) != "ping" {
		t.Fatalf("echo %q", out.Data)
	}
}

func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }

func waitGone(t *testing.T, pid int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("backend %d still runs after %s", pid, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestTheFirstLauncherStartsABackendThatServesTheNextOne(t *testing.T) {
	f := newFixture(t, nil)
	first := f.open(t)
	echo(t, first)
	pid := attached(t, first).BackendPid
	first.Close()
	time.Sleep(100 * time.Millisecond)
	if !alive(pid) {
		t.Fatal("the backend stopped with the launcher that started it")
	}

	second := f.open(t)
	echo(t, second)
	if got := attached(t, second).BackendPid; got != pid {
		t.Fatalf("second launcher attached to backend %d, want the warm one %d", got, pid)
	}
	if starts := f.starts(t); len(starts) != 1 {
		t.Fatalf("backend started %d times: %v", len(starts), starts)
	}
	if !strings.Contains(f.log.String(), `"@message":"fake session 2 attached"`) {
		t.Errorf("the session's log line did not reach the launcher's log:\n%s", f.log.String())
	}
}

func TestLaunchersStartingAtOnceShareOneBackend(t *testing.T) {
	f := newFixture(t, nil)
	var wg sync.WaitGroup
	pids := make([]int, 4)
	for i := range pids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := f.open(t)
			echo(t, s)
			pids[i] = attached(t, s).BackendPid
		}()
	}
	wg.Wait()
	for _, p := range pids[1:] {
		if p != pids[0] {
			t.Fatalf("launchers attached to different backends: %v", pids)
		}
	}
	if starts := f.starts(t); len(starts) != 1 {
		t.Fatalf("backend started %d times: %v", len(starts), starts)
	}
}

func TestANewBuildNeverTalksToTheOldBackend(t *testing.T) {
	f := newFixture(t, nil)
	old := f.open(t)
	echo(t, old)
	oldPid := attached(t, old).BackendPid
	old.Close()

	f.writeJar(t, "PK-rebuilt")
	fresh := f.open(t)
	echo(t, fresh)
	if got := attached(t, fresh).BackendPid; got == oldPid {
		t.Fatal("the new build attached to the old build's backend")
	}
	if starts := f.starts(t); len(starts) != 2 {
		t.Fatalf("want one backend per build, got starts %v", starts)
	}
	var builds []string
	data, _ := os.ReadFile(filepath.Join(f.root, "attaches"))
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		req, _ := parseAttach(line)
		builds = append(builds, req)
	}
	if len(builds) != 2 || builds[0] == builds[1] {
		t.Fatalf("the two sessions should name two builds: %v", builds)
	}
}

func parseAttach(line string) (string, error) {
	const key = `"Build":"`
	i := strings.Index(line, key)
	if i < 0 {
		return "", fmt.Errorf("no build in %s", line)
	}
	rest := line[i+len(key):]
	return rest[:strings.Index(rest, `"`)], nil
}

func TestABackendKilledMidCallGivesAClearErrorAndTheNextLaunchStartsAFreshOne(t *testing.T) {
	f := newFixture(t, nil)
	s := f.open(t)
	conn, err := s.Conn(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	pid := attached(t, s).BackendPid
	errc := make(chan error, 1)
	go func() {
		errc <- conn.Invoke(ctxT(t), "/tfplugin6.Provider/Block", &rawcodec.Frame{}, &rawcodec.Frame{}, grpc.ForceCodecV2(rawcodec.Codec{}))
	}()
	time.Sleep(200 * time.Millisecond)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	var callErr error
	select {
	case callErr = <-errc:
	case <-time.After(5 * time.Second):
		t.Fatal("the call hung after the backend died")
	}
	explained := s.Explain("/tfplugin6.Provider/ApplyResourceChange", callErr)
	st := status.Convert(explained)
	if st.Code() != codes.Unavailable || !strings.Contains(st.Message(), "backend of terraform-provider-rocketmq stopped") ||
		!strings.Contains(st.Message(), "ApplyResourceChange") || !strings.Contains(st.Message(), "run the command again") {
		t.Fatalf("unclear error: %v", explained)
	}
	if _, err := s.Conn(ctxT(t)); err == nil || !strings.Contains(err.Error(), "stopped") {
		t.Fatalf("later calls of the session should say the backend stopped, got %v", err)
	}

	next := f.open(t)
	echo(t, next)
	if got := attached(t, next).BackendPid; got == pid {
		t.Fatal("attached to a dead backend")
	}
}

func TestAnIdleBackendExitsOnItsOwn(t *testing.T) {
	f := newFixture(t, nil)
	f.vars[IdleEnv] = "300ms"
	s := f.open(t)
	echo(t, s)
	pid := attached(t, s).BackendPid
	time.Sleep(600 * time.Millisecond)
	if !alive(pid) {
		t.Fatal("the backend exited while a session was attached")
	}
	s.Close()
	waitGone(t, pid, 5*time.Second)
}

func TestABackendExitsWhenItsBuildsFilesDisappear(t *testing.T) {
	f := newFixture(t, nil)
	s := f.open(t)
	echo(t, s)
	pid := attached(t, s).BackendPid
	libs, _ := filepath.Glob(filepath.Join(f.root, "cache", "terraform-provider-rocketmq", "*", "lib"))
	if len(libs) != 1 {
		t.Fatalf("cached builds: %v", libs)
	}
	if err := os.RemoveAll(libs[0]); err != nil {
		t.Fatal(err)
	}
	waitGone(t, pid, 5*time.Second)
}

func TestTheRuntimeDirectoryIsPrivate(t *testing.T) {
	base := t.TempDir()
	dir, err := RuntimeDir(func(k string) string {
		if k == "XDG_RUNTIME_DIR" {
			return base
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("%s: %v %v", dir, fi.Mode(), err)
	}

	loose := filepath.Join(t.TempDir(), "loose")
	if err := os.Mkdir(loose, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(loose, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := PrivateDir(loose); err == nil || !strings.Contains(err.Error(), "0700") {
		t.Fatalf("a directory others may enter was accepted: %v", err)
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	if err := PrivateDir(link); err == nil {
		t.Fatal("a symbolic link was accepted as the private directory")
	}
}

func TestTheSocketAndArchiveNamesFollowTheBuildJavaAndOptions(t *testing.T) {
	f := newFixture(t, nil)
	b, err := ReadBuild(f.install)
	if err != nil {
		t.Fatal(err)
	}
	java := f.vars["JAVA_HOME"] + "/bin/java"
	a := Digest(b, javaOf(java, "17.0.15"), nil)
	if Digest(b, javaOf(java, "17.0.15"), nil) != a {
		t.Fatal("digest is not stable")
	}
	if Digest(b, javaOf(java, "17.0.15"), []string{"-Xmx1g"}) == a {
		t.Error("JVM options do not change the digest")
	}
	if Digest(b, javaOf(java, "21.0.1"), nil) == a {
		t.Error("the Java version does not change the digest")
	}
	f.writeJar(t, "PK2")
	b2, err := ReadBuild(f.install)
	if err != nil {
		t.Fatal(err)
	}
	if Digest(b2, javaOf(java, "17.0.15"), nil) == a {
		t.Error("the jars do not change the digest")
	}
}

func TestAnInstallationWhoseJarsDoNotMatchItsManifestIsRefused(t *testing.T) {
	f := newFixture(t, nil)
	if err := os.WriteFile(filepath.Join(f.install, "lib", "server.jar"), []byte("truncated"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadBuild(f.install)
	if err == nil || !strings.Contains(err.Error(), "server.jar is missing or has another size") {
		t.Fatalf("got %v", err)
	}
	if err := os.Remove(filepath.Join(f.install, "lib", ManifestName)); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadBuild(f.install); err == nil || !strings.Contains(err.Error(), "Reinstall the provider") {
		t.Fatalf("got %v", err)
	}
}

func TestTheBackendRunsFromTheCacheWithAClassDataArchive(t *testing.T) {
	f := newFixture(t, nil)
	s := f.open(t)
	echo(t, s)
	args, err := os.ReadFile(filepath.Join(f.root, "cache", "terraform-provider-rocketmq", digestOf(t, f), "classpath.args"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(args), filepath.Join(f.root, "cache")) || strings.Contains(string(args), f.install) {
		t.Fatalf("class path should be in the cache, not the installation: %s", args)
	}
}

func digestOf(t *testing.T, f *fixture) string {
	t.Helper()
	dirs, _ := filepath.Glob(filepath.Join(f.root, "cache", "terraform-provider-rocketmq", "*"))
	if len(dirs) != 1 {
		t.Fatalf("cache: %v", dirs)
	}
	return filepath.Base(dirs[0])
}

func TestArchiveOptionsRecordAnArchiveFirstThenUseIt(t *testing.T) {
	cache := t.TempDir()
	first := archiveOptions(cache)
	if len(first) != 1 || first[0] != "-XX:ArchiveClassesAtExit="+filepath.Join(cache, newArchiveName) {
		t.Fatalf("without an archive: %v", first)
	}
	if err := os.WriteFile(filepath.Join(cache, newArchiveName), []byte("archive"), 0o600); err != nil {
		t.Fatal(err)
	}
	second := archiveOptions(cache)
	if len(second) != 1 || second[0] != "-XX:SharedArchiveFile="+filepath.Join(cache, archiveName) {
		t.Fatalf("with an archive left by the last backend: %v", second)
	}
}

func TestSessionsCarryTheLaunchersEnvironmentButNotInputVariables(t *testing.T) {
	env := session.Environment([]string{"HOME=/home/u", "TF_LOG=trace", "TF_VAR_password=secret", "SSH_AUTH_SOCK=/tmp/a",
		"JAVA_HOME=/jdk", "RANDOM_THING=x", "TF_ROCKETMQ_BACKEND_IDLE=1m", "ROCKETMQ_ACCESS_KEY=admin",
		"ROCKETMQ_SECRET_KEY=s3cret"})
	want := map[string]string{"HOME": "/home/u", "TF_LOG": "trace", "SSH_AUTH_SOCK": "/tmp/a", "JAVA_HOME": "/jdk",
		"TF_ROCKETMQ_BACKEND_IDLE": "1m", "ROCKETMQ_ACCESS_KEY": "admin", "ROCKETMQ_SECRET_KEY": "s3cret"}
	if len(env) != len(want) {
		t.Fatalf("got %v", env)
	}
	for k, v := range want {
		if env[k] != v {
			t.Fatalf("%s: got %q in %v", k, env[k], env)
		}
	}
	if got := backendEnvironment([]string{"TF_VAR_password=secret", "ROCKETMQ_SECRET_KEY=s3cret", "PATH=/bin"}); len(got) != 1 || got[0] != "PATH=/bin" {
		t.Fatalf("backend environment %v", got)
	}
}

func javaOf(path, version string) *jvm.Java { return &jvm.Java{Path: path, Version: version} }

func TestABackendThatExitsWhileAnotherLauncherWaitsForItIsReplacedByOneOfItsOwn(t *testing.T) {
	f := newFixture(t, nil)
	first := f.open(t)
	echo(t, first)
	old := attached(t, first).BackendPid
	pidFiles, _ := filepath.Glob(filepath.Join(f.vars["XDG_RUNTIME_DIR"], "tfrocketmq", "*.pid"))
	if len(pidFiles) != 1 {
		t.Fatalf("pid files: %v", pidFiles)
	}
	socket := strings.TrimSuffix(pidFiles[0], ".pid") + ".sock"
	if err := syscall.Kill(old, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitGone(t, old, 5*time.Second)

	// A backend on its way out: recorded in the pid file, named by its socket, never answering.
	dying := exec.Command("sh", "-c", "sleep 0.5", "sh", socket)
	if err := dying.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = dying.Wait() }()
	if err := os.WriteFile(pidFiles[0], []byte(strconv.Itoa(dying.Process.Pid)), 0o600); err != nil {
		t.Fatal(err)
	}

	next := f.open(t)
	echo(t, next)
	got := attached(t, next).BackendPid
	if got == old || got == dying.Process.Pid {
		t.Fatalf("attached to %d (old %d, dying %d)", got, old, dying.Process.Pid)
	}
	if !strings.Contains(f.log.String(), "exited before answering; starting one") {
		t.Fatalf("the launcher did not say why it started a backend:\n%s", f.log.String())
	}
}
