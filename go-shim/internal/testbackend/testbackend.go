// Package testbackend is a stand-in for the Java server, used by tests only.
//
// Server answers any /tfplugin6.Provider/<name> method with raw frames; what
// it does depends on <name> (see Server.handle). FakeJavaMain turns a test
// binary into a fake `java` executable that serves it on the --socket path
// and prints the readiness line, the way the real server does.
package testbackend

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/rawcodec"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/session"
)

// Names of the behaviours, as the last element of the method name.
const (
	// Echo (and GetProviderSchema) answer the single request with its own
	// bytes, plus header x-echo-header and trailer x-echo-trailer.
	Echo = "Echo"
	// Metadata answers with the request metadata it saw, as JSON of
	// map[string][][]byte.
	Metadata = "Metadata"
	// Count reads a decimal n and streams n messages "item-0".."item-(n-1)".
	Count = "Count"
	// Bidi answers each message with "re:"+message; on half-close it sends
	// "done:<count>" and ends.
	Bidi = "Bidi"
	// Fail returns FailStatus with trailer x-fail=yes after header
	// x-fail-header=early.
	Fail = "Fail"
	// Block waits for the call to be cancelled and reports it on Cancelled.
	Block = "Block"
)

// FailCode and FailMessage are what Fail returns.
const (
	FailCode    = codes.InvalidArgument
	FailMessage = "topic name \"a|b\" is invalid: ünïcödé ✓"
)

// Server is the fake backend.
type Server struct {
	// Cancelled receives the method name of each Block call once its
	// context is cancelled (buffered; sends never block the server).
	Cancelled chan string

	attached atomic.Int64 // open Attach streams
	sessions atomic.Int64 // sessions ever attached
	idleFrom atomic.Int64 // unix nanos since when no session is attached
}

// New returns a fake backend.
func New() *Server {
	s := &Server{Cancelled: make(chan string, 16)}
	s.idleFrom.Store(time.Now().UnixNano())
	return s
}

// Options returns server options that route every method to s.
func (s *Server) Options() []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.UnknownServiceHandler(s.handle),
		grpc.ForceServerCodecV2(rawcodec.Codec{}),
		grpc.MaxRecvMsgSize(256 << 20),
		grpc.MaxSendMsgSize(256 << 20),
	}
}

// Listen serves s on a new unix socket at socketPath until the returned
// server is stopped.
func (s *Server) Listen(socketPath string) (*grpc.Server, error) {
	lis, err := net.Listen("unix", socketPath)
	if err != nil {
		return nil, err
	}
	srv := grpc.NewServer(s.Options()...)
	go func() { _ = srv.Serve(lis) }()
	return srv, nil
}

func (s *Server) handle(_ any, ss grpc.ServerStream) error {
	method, _ := grpc.MethodFromServerStream(ss)
	if method == session.AttachMethod {
		return s.attach(ss)
	}
	if !strings.HasPrefix(method, "/tfplugin6.Provider/") {
		return status.Errorf(codes.Unimplemented, "fake backend: no service for %s", method)
	}
	switch name := path.Base(method); name {
	case Echo, "GetProviderSchema", "ConfigureProvider":
		f := &rawcodec.Frame{}
		if err := ss.RecvMsg(f); err != nil {
			return err
		}
		if err := ss.SendHeader(metadata.Pairs("x-echo-header", "h")); err != nil {
			return err
		}
		ss.SetTrailer(metadata.Pairs("x-echo-trailer", "t"))
		return ss.SendMsg(f)
	case Metadata:
		f := &rawcodec.Frame{}
		if err := ss.RecvMsg(f); err != nil {
			return err
		}
		md, _ := metadata.FromIncomingContext(ss.Context())
		raw := map[string][][]byte{} // []byte keeps binary values intact in JSON
		for k, vs := range md {
			for _, v := range vs {
				raw[k] = append(raw[k], []byte(v))
			}
		}
		data, _ := json.Marshal(raw)
		return ss.SendMsg(&rawcodec.Frame{Data: data})
	case Count:
		f := &rawcodec.Frame{}
		if err := ss.RecvMsg(f); err != nil {
			return err
		}
		n, err := strconv.Atoi(string(f.Data))
		if err != nil {
			return status.Error(codes.InvalidArgument, err.Error())
		}
		for i := 0; i < n; i++ {
			if err := ss.SendMsg(&rawcodec.Frame{Data: []byte(fmt.Sprintf("item-%d", i))}); err != nil {
				return err
			}
		}
		return nil
	case Bidi:
		count := 0
		for {
			f := &rawcodec.Frame{}
			err := ss.RecvMsg(f)
			if errors.Is(err, io.EOF) {
				return ss.SendMsg(&rawcodec.Frame{Data: []byte(fmt.Sprintf("done:%d", count))})
			}
			if err != nil {
				return err
			}
			count++
			if err := ss.SendMsg(&rawcodec.Frame{Data: append([]byte("re:"), f.Data...)}); err != nil {
				return err
			}
		}
	case Fail:
		_ = ss.RecvMsg(&rawcodec.Frame{})
		if err := ss.SendHeader(metadata.Pairs("x-fail-header", "early")); err != nil {
			return err
		}
		ss.SetTrailer(metadata.Pairs("x-fail", "yes"))
		return status.Error(FailCode, FailMessage)
	case Block:
		<-ss.Context().Done()
		select {
		case s.Cancelled <- method:
		default:
		}
		return status.FromContextError(ss.Context().Err()).Err()
	default:
		return status.Errorf(codes.Unimplemented, "fake backend: no method %s", name)
	}
}

// attach confirms a session, sends one log line and holds the stream open
// until the launcher goes. Each request is appended, as JSON, to the file
// named by EnvAttachRecord.
func (s *Server) attach(ss grpc.ServerStream) error {
	f := &rawcodec.Frame{}
	if err := ss.RecvMsg(f); err != nil {
		return err
	}
	req, err := session.DecodeRequest(f.Data)
	if err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	if want := os.Getenv(EnvBuild); want != "" && req.Build != want {
		return status.Errorf(codes.FailedPrecondition, "this backend runs build %s, not %s", want, req.Build)
	}
	if rec := os.Getenv(EnvAttachRecord); rec != "" {
		line, _ := json.Marshal(req)
		if fh, err := os.OpenFile(rec, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); err == nil {
			_, _ = fh.Write(append(line, '\n'))
			_ = fh.Close()
		}
	}
	n := s.sessions.Add(1)
	s.attached.Add(1)
	defer func() {
		if s.attached.Add(-1) == 0 {
			s.idleFrom.Store(time.Now().UnixNano())
		}
	}()
	if err := ss.SendMsg(&rawcodec.Frame{Data: session.EncodeAttached(fmt.Sprintf("fake-%d", n), os.Getpid())}); err != nil {
		return err
	}
	line := fmt.Sprintf(`{"@level":"info","@message":"fake session %d attached","@module":"rocketmq.backend","@timestamp":"2025-01-02T03:04:05.123456Z"}`, n)
	if err := ss.SendMsg(&rawcodec.Frame{Data: session.EncodeLog([]byte(line))}); err != nil {
		return err
	}
	<-ss.Context().Done()
	return nil
}

// Environment variables read by FakeJavaMain.
const (
	// EnvRecord names a file that receives the arguments (one a line)
	// and, on the last line, "pid=<pid>".
	EnvRecord = "FAKEJAVA_RECORD"
	// EnvMode selects a misbehaviour: "exit" (fail before ready),
	// "hang" (never ready), "die" (exit 0.3 s after ready), "stubborn"
	// (ignore SIGTERM and stdin EOF once ready).
	EnvMode = "FAKEJAVA_MODE"
	// EnvAttachRecord names a file that receives each Attach request as a
	// JSON line.
	EnvAttachRecord = "FAKEJAVA_ATTACH_RECORD"
	// EnvBuild makes Attach refuse requests for another build.
	EnvBuild = "FAKEJAVA_BUILD"
	// EnvStartLog names a file that receives a line "<pid>" at each start.
	EnvStartLog = "FAKEJAVA_START_LOG"
)

// FakeJavaMain acts as the Java server: it serves Server on the --socket
// path, prints the readiness line and exits when stdin closes. It writes
// one plain and one JSON line to stderr and a plain line to stdout first.
func FakeJavaMain() int {
	args := os.Args[1:]
	if rec := os.Getenv(EnvRecord); rec != "" {
		content := strings.Join(args, "\n") + "\npid=" + strconv.Itoa(os.Getpid()) + "\n"
		if err := os.WriteFile(rec, []byte(content), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, "cannot record:", err)
			return 3
		}
	}
	socket, idle, buildFiles, private := "", time.Duration(0), "", false
	for i, a := range args {
		next := ""
		if i+1 < len(args) {
			next = args[i+1]
		}
		switch a {
		case "--socket":
			socket = next
		case "--idle-timeout":
			idle, _ = time.ParseDuration(next)
		case "--build-files":
			buildFiles = next
		case "--exit-with-stdin":
			private = true
		}
	}
	if starts := os.Getenv(EnvStartLog); starts != "" {
		if fh, err := os.OpenFile(starts, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); err == nil {
			_, _ = fmt.Fprintf(fh, "%d\n", os.Getpid())
			_ = fh.Close()
		}
	}
	fmt.Fprintln(os.Stderr, "[INFO] fake java starting")
	fmt.Fprintln(os.Stderr, `{"@level":"warn","@message":"json from java","@module":"rocketmq.server","@timestamp":"2025-01-02T03:04:05.123456Z"}`)
	fmt.Println("stdout noise before ready")

	switch os.Getenv(EnvMode) {
	case "exit":
		fmt.Fprintln(os.Stderr, "Error: Could not find or load main class dev.tfrocketmq.Main")
		return 1
	case "hang":
		_, _ = io.Copy(io.Discard, os.Stdin)
		return 0
	}
	if socket == "" {
		fmt.Fprintln(os.Stderr, "no --socket argument")
		return 2
	}
	fake := New()
	srv, err := fake.Listen(socket)
	if err != nil {
		fmt.Fprintln(os.Stderr, "listen:", err)
		return 2
	}
	if os.Getenv(EnvMode) == "stubborn" {
		signal.Ignore(syscall.SIGTERM)
	}
	fmt.Println("TFROCKETMQ-READY")
	switch os.Getenv(EnvMode) {
	case "die":
		time.Sleep(300 * time.Millisecond)
		fmt.Fprintln(os.Stderr, "fatal: backend crashed")
		return 1
	case "stubborn":
		time.Sleep(time.Hour)
	}
	if private {
		_, _ = io.Copy(io.Discard, os.Stdin)
		srv.Stop()
		return 0
	}
	// Shared: stop when idle, or when the build's files are gone.
	for {
		time.Sleep(20 * time.Millisecond)
		if buildFiles != "" {
			if _, err := os.Stat(buildFiles); err != nil {
				fmt.Fprintln(os.Stderr, "build files gone; stopping")
				break
			}
		}
		if idle > 0 && fake.attached.Load() == 0 && time.Since(time.Unix(0, fake.idleFrom.Load())) > idle {
			fmt.Fprintln(os.Stderr, "idle; stopping")
			break
		}
	}
	srv.Stop()
	_ = os.Remove(socket)
	return 0
}

// EnvRole is the variable a test binary's TestMain checks to act as a fake
// java (value "fakejava") instead of running tests.
const EnvRole = "TFROCKETMQ_TEST_ROLE"

// FakeJDK lays out a Java installation under home: bin/java is a shell
// script that runs exe (a test binary) as a fake java with the given extra
// environment, and a release file declares version (none when empty).
func FakeJDK(home, exe, version string, env map[string]string) error {
	if err := os.MkdirAll(filepath.Join(home, "bin"), 0o755); err != nil {
		return err
	}
	var script strings.Builder
	script.WriteString("#!/bin/sh\n")
	script.WriteString(EnvRole + "=fakejava")
	for k, v := range env {
		script.WriteString(" " + k + "=" + shellQuote(v))
	}
	script.WriteString(" exec " + shellQuote(exe) + " \"$@\"\n")
	if err := os.WriteFile(filepath.Join(home, "bin", "java"), []byte(script.String()), 0o755); err != nil {
		return err
	}
	if version == "" {
		return nil
	}
	release := "IMPLEMENTOR=\"Test\"\nJAVA_RUNTIME_VERSION=\"" + version + "+7\"\nJAVA_VERSION=\"" + version + "\"\nJAVA_VERSION_DATE=\"2025-04-15\"\n"
	return os.WriteFile(filepath.Join(home, "release"), []byte(release), 0o644)
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
