package backend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/fallback"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/jvm"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/logs"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/proxy"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/rawcodec"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/session"
)

const (
	// IdleEnv sets how long a backend without sessions stays up, as a Go
	// duration ("30m", "2h").
	IdleEnv = "TF_ROCKETMQ_BACKEND_IDLE"
	// DefaultIdle is the idle time when IdleEnv is not set.
	DefaultIdle = 30 * time.Minute

	defaultStartTimeout = 60 * time.Second
	attachTimeout       = 5 * time.Second
	pollInterval        = 10 * time.Millisecond
	logTailLines        = 20
)

// sharedOptions favour a small, steady footprint: the backend lives on
// between commands, mostly idle.
var sharedOptions = []string{"-Xmx256m", "-XX:MaxHeapFreeRatio=30", "-XX:MinHeapFreeRatio=10"}

// Options configure Open.
type Options struct {
	// Dir is the installation directory; the jars are in Dir/lib.
	Dir string
	// ExtraOpts are added after the built-in JVM options.
	ExtraOpts []string
	// Getenv reads the environment (os.Getenv when nil).
	Getenv func(string) string
	// Log receives the launcher's own messages; the backend's lines for
	// this session go to Log.Named(jvm.LogModule).
	Log *logs.Logger
	// Request describes this launcher to the backend
	// (session.RequestFromProcess when nil).
	Request func(build string) session.Request
	// StartTimeout bounds the wait for a backend to answer (60 s when zero).
	StartTimeout time.Duration
}

// Shared is the session of this launcher on the warm backend. It implements
// proxy.Backend.
type Shared struct {
	opts Options
	log  *logs.Logger

	settled  chan struct{}
	handover chan struct{} // closed once no backend start of ours is half done
	once     sync.Once
	mu       sync.Mutex
	sess     *session.Session
	err      error
	closing  bool
	logFile  string
}

var _ proxy.Backend = (*Shared)(nil)

// Open starts finding (or starting) the backend and attaching to it in the
// background, and returns at once; Conn waits for the outcome.
func Open(opts Options) *Shared {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Log == nil {
		opts.Log = logs.New(logs.NewSink(io.Discard), "rocketmq.shim")
	}
	if opts.Request == nil {
		opts.Request = session.RequestFromProcess
	}
	if opts.StartTimeout <= 0 {
		opts.StartTimeout = defaultStartTimeout
	}
	s := &Shared{opts: opts, log: opts.Log, settled: make(chan struct{}), handover: make(chan struct{})}
	go func() {
		defer s.handedOver()
		sess, err := s.run()
		s.mu.Lock()
		if s.closing && sess != nil {
			_ = sess.Conn.Close()
			sess, err = nil, errors.New("the launcher is shutting down")
		}
		s.sess, s.err = sess, err
		s.mu.Unlock()
		close(s.settled)
	}()
	return s
}

// Conn implements proxy.Backend.
func (s *Shared) Conn(ctx context.Context) (grpc.ClientConnInterface, error) {
	select {
	case <-s.settled:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	select {
	case <-s.sess.Done():
		return nil, s.stopped(s.sess.Err())
	default:
	}
	return s.sess.Conn, nil
}

// Explain turns the failure of a forwarded call into one that says the
// backend stopped, when it did.
func (s *Shared) Explain(method string, err error) error {
	s.mu.Lock()
	sess := s.sess
	s.mu.Unlock()
	if sess == nil || status.Code(err) != codes.Unavailable {
		return err
	}
	select {
	case <-sess.Done():
	case <-time.After(500 * time.Millisecond):
		return err
	}
	fe := s.stopped(sess.Err())
	return status.Error(codes.Unavailable, fmt.Sprintf("%s while Terraform waited for %s. %s",
		fe.Summary, strings.TrimPrefix(method, proxy.ServicePrefix), fe.Detail))
}

func (s *Shared) stopped(cause error) *fallback.Error {
	detail := "The call was not completed and nothing of it was recorded; run the command again and a new backend will start."
	if cause != nil {
		detail += " (" + cause.Error() + ")"
	}
	if s.logFile != "" {
		detail += " The backend's log is " + s.logFile + "." + tail(s.logFile)
	}
	return &fallback.Error{Summary: "The Java backend of terraform-provider-rocketmq stopped", Detail: detail}
}

func (s *Shared) handedOver() { s.once.Do(func() { close(s.handover) }) }

// Close ends the session (the backend keeps running for other launchers).
// If this launcher is starting a backend, it waits until the process has
// been started, not until it is ready: the backend then carries on alone.
func (s *Shared) Close() {
	select {
	case <-s.handover:
	case <-time.After(10 * time.Second):
	}
	s.mu.Lock()
	s.closing = true
	sess := s.sess
	s.mu.Unlock()
	if sess != nil {
		_ = sess.Conn.Close()
	}
}

// paths are the files of one backend identity.
type paths struct {
	digest, socket, lock, pid, cache string
}

func (s *Shared) run() (*session.Session, error) {
	started := time.Now()
	java, err := jvm.Check(s.opts.Getenv)
	if err != nil {
		s.log.Error("Java is not usable", "error", err)
		return nil, err
	}
	build, err := ReadBuild(s.opts.Dir)
	if err != nil {
		s.log.Error("installation is incomplete", "error", err)
		return nil, err
	}
	digest := Digest(build, java, s.opts.ExtraOpts)
	runDir, err := RuntimeDir(s.opts.Getenv)
	if err != nil {
		return nil, &fallback.Error{Summary: "terraform-provider-rocketmq cannot use its runtime directory", Detail: err.Error() + ". Set " + Mode + "=process to run without a shared backend"}
	}
	cacheDir, err := CacheDir(s.opts.Getenv)
	if err != nil {
		return nil, &fallback.Error{Summary: "terraform-provider-rocketmq cannot use its cache directory", Detail: err.Error()}
	}
	name := digest[:24]
	p := paths{
		digest: digest,
		socket: filepath.Join(runDir, name+".sock"),
		lock:   filepath.Join(runDir, name+".lock"),
		pid:    filepath.Join(runDir, name+".pid"),
		cache:  filepath.Join(cacheDir, digest),
	}
	s.logFile = filepath.Join(p.cache, "backend.log")
	deadline := started.Add(s.opts.StartTimeout)
	req := s.opts.Request(digest)

	if sess, err := s.attach(p.socket, req); err == nil {
		s.log.Debug("attached to the running backend", "elapsed_ms", time.Since(started).Milliseconds(), "backend_pid", sess.BackendPid)
		return sess, nil
	} else if errors.Is(err, session.ErrRefused) {
		return nil, s.refused(err)
	}

	// A backend another launcher started may be on its way out (idle, killed);
	// when it exits before answering, this launcher starts one itself.
	for attempt := 0; ; attempt++ {
		sess, retry, err := s.startOrAwait(java, build, p, req, started, deadline)
		if !retry || attempt >= 2 {
			return sess, err
		}
		s.log.Debug("the backend another launcher started exited before answering; starting one", "attempt", attempt+1)
	}
}

// startOrAwait starts the backend under the lock, or waits for the one another
// launcher started, until it answers. retry says that the backend awaited was
// not this launcher's and exited before it answered.
func (s *Shared) startOrAwait(java *jvm.Java, build *Build, p paths, req session.Request, started, deadline time.Time) (*session.Session, bool, error) {
	unlock, err := lockFile(p.lock, time.Until(deadline))
	if err != nil {
		return nil, false, &fallback.Error{Summary: "terraform-provider-rocketmq could not start its Java backend", Detail: err.Error()}
	}
	if sess, err := s.attach(p.socket, req); err == nil {
		unlock()
		return sess, false, nil
	}
	var exited <-chan struct{}
	own := false
	if pid, ok := runningBackend(p); ok {
		// Started by another launcher and not listening yet: wait for it.
		unlock()
		s.log.Debug("waiting for a backend another launcher started", "backend_pid", pid)
		exited = pidGone(pid)
	} else {
		cmd, waited, err := s.spawn(java, build, p)
		unlock()
		if err != nil {
			return nil, false, &fallback.Error{
				Summary: "The Java backend of terraform-provider-rocketmq failed to start",
				Detail:  fmt.Sprintf("Running %s (from %s) failed: %v", java.Path, java.Origin, err),
			}
		}
		s.log.Info("started a shared Java backend", "backend_pid", cmd.Process.Pid, "log", s.logFile)
		exited = waited
		own = true
	}
	s.handedOver()
	for {
		sess, err := s.attach(p.socket, req)
		if err == nil {
			s.log.Info("Java backend ready", "elapsed_ms", time.Since(started).Milliseconds(), "java", java.Path, "java_version", java.Version)
			return sess, false, nil
		}
		if errors.Is(err, session.ErrRefused) {
			return nil, false, s.refused(err)
		}
		select {
		case <-exited:
			if !own {
				return nil, true, nil
			}
			return nil, false, &fallback.Error{
				Summary: "The Java backend of terraform-provider-rocketmq failed to start",
				Detail:  fmt.Sprintf("It exited before it answered. Java: %s (%s, from %s). Extra JVM options come from %s; to use another Java, set JAVA_HOME to a JDK 17+. Its log is %s.%s", java.Path, java.Version, java.Origin, jvm.OptsEnv, s.logFile, tail(s.logFile)),
			}
		case <-time.After(pollInterval):
		}
		if time.Now().After(deadline) {
			return nil, false, &fallback.Error{
				Summary: "The Java backend of terraform-provider-rocketmq did not start in time",
				Detail:  fmt.Sprintf("It did not answer on %s within %s. Its log is %s.%s", p.socket, s.opts.StartTimeout, s.logFile, tail(s.logFile)),
			}
		}
	}
}

func (s *Shared) refused(err error) error {
	return &fallback.Error{Summary: "The Java backend of terraform-provider-rocketmq refused this launcher", Detail: err.Error()}
}

// attach connects to the socket (checking that the peer runs as this user)
// and opens a session. A missing or dead socket fails fast.
func (s *Shared) attach(socket string, req session.Request) (*session.Session, error) {
	c, err := dialPeer(context.Background(), socket)
	if err != nil {
		return nil, err
	}
	_ = c.Close()
	conn, err := grpc.NewClient("passthrough:///backend",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return dialPeer(ctx, socket) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(
			grpc.ForceCodecV2(rawcodec.Codec{}),
			grpc.MaxCallRecvMsgSize(proxy.MaxMessageSize),
			grpc.MaxCallSendMsgSize(proxy.MaxMessageSize),
		),
	)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), attachTimeout)
	defer cancel()
	sess, err := session.Attach(ctx, conn, req, s.log.Named(jvm.LogModule))
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	return sess, nil
}

// dialPeer connects to the unix socket and refuses a peer that runs as
// another user (SO_PEERCRED).
func dialPeer(ctx context.Context, socket string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		return nil, err
	}
	uc, ok := c.(*net.UnixConn)
	if !ok {
		_ = c.Close()
		return nil, errors.New("not a unix socket connection")
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		_ = c.Close()
		return nil, err
	}
	var cred *syscall.Ucred
	var credErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		credErr = err
	}
	if credErr != nil {
		_ = c.Close()
		return nil, credErr
	}
	if int(cred.Uid) != os.Getuid() {
		_ = c.Close()
		return nil, fmt.Errorf("the process listening on %s runs as uid %d, not as this user (uid %d)", socket, cred.Uid, os.Getuid())
	}
	return c, nil
}

// lockFile takes an exclusive flock on path, waiting at most timeout, and
// returns the function that releases it.
func lockFile(path string, timeout time.Duration) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				_ = f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			_ = f.Close()
			return nil, fmt.Errorf("cannot lock %s: %w", path, err)
		}
		if time.Now().After(deadline) {
			_ = f.Close()
			return nil, fmt.Errorf("another launcher has held %s for too long", path)
		}
		time.Sleep(pollInterval)
	}
}

// runningBackend reports a live backend process recorded in the pid file:
// one whose command line names this backend's socket.
func runningBackend(p paths) (int, bool) {
	data, err := os.ReadFile(p.pid)
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return 0, false
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || !strings.Contains(string(cmdline), "\x00"+p.socket+"\x00") {
		return 0, false
	}
	return pid, true
}

// pidGone is closed once the process has exited.
func pidGone(pid int) <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		for syscall.Kill(pid, 0) == nil {
			time.Sleep(50 * time.Millisecond)
		}
		close(ch)
	}()
	return ch
}

// tail renders the last lines of a log file for an error message.
func tail(path string) string {
	data, err := os.ReadFile(path)
	if err != nil || len(data) == 0 {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > logTailLines {
		lines = lines[len(lines)-logTailLines:]
	}
	for i, l := range lines {
		lines[i] = logs.Message([]byte(l))
	}
	return "\n\nLast lines of its log:\n" + strings.Join(lines, "\n")
}
