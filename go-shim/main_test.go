package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/logs"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/rawcodec"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/testbackend"
)

// The test binary doubles as the shim ("shim") and as a fake java.
func TestMain(m *testing.M) {
	switch os.Getenv(testbackend.EnvRole) {
	case "fakejava":
		os.Exit(testbackend.FakeJavaMain())
	case "shim":
		main()
		os.Exit(0)
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

type shim struct {
	cmd    *exec.Cmd
	stdout *bufio.Reader
	stderr *lockedBuffer
	record string
	root   string // the test's directory: install/, run/ (XDG_RUNTIME_DIR), cache/ (XDG_CACHE_HOME)
	// firstLine receives the first stdout line; done closes once the
	// process has been reaped.
	firstLine chan string
	done      chan error
}

// startShim installs a copy of the test binary as D/terraform-provider-rocketmq
// next to D/lib/server.jar and its manifest, with JAVA_HOME pointing at a fake
// JDK of the given version, and runs it the way Terraform does, with runtime
// and cache directories of the test's own.
func startShim(t *testing.T, javaVersion string, extraEnv ...string) *shim {
	t.Helper()
	return startShimIn(t, t.TempDir(), javaVersion, extraEnv...)
}

// startShimIn is startShim in root: shims started in one root share the
// installation, runtime and cache directories (and so a shared backend).
func startShimIn(t *testing.T, root, javaVersion string, extraEnv ...string) *shim {
	t.Helper()
	install := filepath.Join(root, "install")
	binary := filepath.Join(install, "terraform-provider-rocketmq")
	home := filepath.Join(root, "jdk")
	s := &shim{stderr: &lockedBuffer{}, record: filepath.Join(root, "record"), root: root,
		firstLine: make(chan string, 1), done: make(chan error)}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// Shims started in one root share one installation and one Java, as
	// launches of one provider build do.
	if _, err := os.Stat(binary); err != nil {
		if err := os.MkdirAll(filepath.Join(install, "lib"), 0o755); err != nil {
			t.Fatal(err)
		}
		jar := []byte("PK")
		if err := os.WriteFile(filepath.Join(install, "lib", "server.jar"), jar, 0o644); err != nil {
			t.Fatal(err)
		}
		manifest := fmt.Sprintf("%x %d server.jar\n", sha256.Sum256(jar), len(jar))
		if err := os.WriteFile(filepath.Join(install, "lib", "build.manifest"), []byte(manifest), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(root, "cache"), 0o700); err != nil {
			t.Fatal(err)
		}
		// Socket paths must be short: the runtime directory lives in /tmp,
		// found through a link in root.
		run, err := os.MkdirTemp("/tmp", "rt")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.RemoveAll(run) })
		if err := os.Symlink(run, filepath.Join(root, "run")); err != nil {
			t.Fatal(err)
		}
		copyFile(t, self, binary)
		if err := testbackend.FakeJDK(home, self, javaVersion, map[string]string{testbackend.EnvRecord: s.record,
			testbackend.EnvAttachRecord: filepath.Join(root, "attach-record")}); err != nil {
			t.Fatal(err)
		}
	}

	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "PLUGIN_") || strings.HasPrefix(k, "TF_") || k == "JAVA_HOME" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, testbackend.EnvRole+"=shim", "JAVA_HOME="+home, "PLUGIN_PROTOCOL_VERSIONS=6",
		"XDG_CACHE_HOME="+filepath.Join(root, "cache"),
		"TF_ROCKETMQ_BACKEND_IDLE=1m",
		"TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2")
	run, err := os.Readlink(filepath.Join(root, "run"))
	if err != nil {
		t.Fatal(err)
	}
	env = append(env, "XDG_RUNTIME_DIR="+run)
	env = append(env, extraEnv...)

	s.cmd = exec.Command(binary)
	s.cmd.Env = env
	s.cmd.Stderr = s.stderr
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s.stdout = bufio.NewReader(out)
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		line, _ := s.stdout.ReadString('\n')
		s.firstLine <- line
		_, _ = io.Copy(io.Discard, s.stdout)
		_ = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		<-s.done
		if t.Failed() {
			t.Logf("shim stderr:\n%s", s.stderr.String())
		}
	})
	return s
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

var handshakeRE = regexp.MustCompile(`^1\|6\|unix\|(/[^|]+)\|grpc\|([A-Za-z0-9+/]*)\n$`)

// handshake reads the first stdout line and returns the address and the
// certificate field.
func (s *shim) handshake(t *testing.T) (string, string) {
	t.Helper()
	select {
	case line := <-s.firstLine:
		m := handshakeRE.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("handshake line %q", line)
		}
		return m[1], m[2]
	case <-time.After(5 * time.Second):
		t.Fatal("no handshake line within 5 s")
	}
	return "", ""
}

func (s *shim) waitExit(t *testing.T) {
	t.Helper()
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		t.Fatal("shim did not exit after Shutdown")
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("shim exit code %d", code)
	}
}

func dial(t *testing.T, addr string, creds credentials.TransportCredentials) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient("unix://"+addr, grpc.WithTransportCredentials(creds),
		grpc.WithDefaultCallOptions(grpc.ForceCodecV2(rawcodec.Codec{})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func shutdown(t *testing.T, conn *grpc.ClientConn) {
	t.Helper()
	// The server stops inside the call, so its answer may be lost.
	_ = conn.Invoke(ctxT(t), "/plugin.GRPCController/Shutdown", &rawcodec.Frame{}, &rawcodec.Frame{})
}

func checkLogs(t *testing.T, stderr string, want ...string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if !logs.IsHCLogJSON([]byte(line)) {
			t.Errorf("stderr line is not an hclog JSON line: %s", line)
		}
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %s", w)
		}
	}
}

func TestServeProxiesToJava(t *testing.T) {
	start := time.Now()
	s := startShim(t, "17.0.15", "TF_ROCKETMQ_BACKEND=process")
	addr, cert := s.handshake(t)
	if cert != "" {
		t.Fatalf("certificate %q without PLUGIN_CLIENT_CERT", cert)
	}
	conn := dial(t, addr, insecure.NewCredentials())

	payload := []byte("\x0a\x04\xff\xfe\x00\x01schema")
	out := &rawcodec.Frame{}
	if err := conn.Invoke(ctxT(t), "/tfplugin6.Provider/GetProviderSchema", &rawcodec.Frame{Data: payload}, out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Data, payload) {
		t.Fatalf("got %x", out.Data)
	}
	t.Logf("first proxied answer %s after start", time.Since(start))

	cs, err := conn.NewStream(ctxT(t), &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}, "/tfplugin6.Provider/Bidi")
	if err != nil {
		t.Fatal(err)
	}
	_ = cs.SendMsg(&rawcodec.Frame{Data: []byte("x")})
	_ = cs.CloseSend()
	var got []string
	for {
		f := &rawcodec.Frame{}
		if err := cs.RecvMsg(f); err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatal(err)
			}
			break
		}
		got = append(got, string(f.Data))
	}
	if strings.Join(got, ",") != "re:x,done:1" {
		t.Fatalf("bidi got %v", got)
	}

	err = conn.Invoke(ctxT(t), "/tfplugin6.Provider/Fail", &rawcodec.Frame{}, &rawcodec.Frame{})
	if st := status.Convert(err); st.Code() != testbackend.FailCode || st.Message() != testbackend.FailMessage {
		t.Fatalf("got %v", err)
	}

	health, err := grpc_health_v1.NewHealthClient(conn).Check(ctxT(t), &grpc_health_v1.HealthCheckRequest{Service: "plugin"})
	if err != nil || health.Status != grpc_health_v1.HealthCheckResponse_SERVING {
		t.Fatalf("health: %v %v", health, err)
	}

	args, pid := readRecord(t, s.record)
	socket := args[len(args)-2]
	shutdown(t, conn)
	s.waitExit(t)
	if !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
		t.Error("JVM outlived the shim")
	}
	if _, err := os.Stat(filepath.Dir(socket)); !os.IsNotExist(err) {
		t.Errorf("private dir left behind: %v", err)
	}
	checkLogs(t, s.stderr.String(),
		`{"@level":"warn","@message":"json from java","@module":"rocketmq.server","@timestamp":"2025-01-02T03:04:05.123456Z"}`+"\n",
		`{"@level":"info","@message":"fake java starting","@module":"rocketmq.jvm"`,
		`"@message":"Java backend ready"`)
}

func TestServeWithAutoMTLS(t *testing.T) {
	clientCert := selfSigned(t)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: clientCert.Certificate[0]})
	s := startShim(t, "21", "PLUGIN_CLIENT_CERT="+string(certPEM))
	addr, certField := s.handshake(t)
	der, err := base64.RawStdEncoding.DecodeString(certField)
	if err != nil || len(certField) <= 50 {
		t.Fatalf("certificate field %q: %v", certField, err)
	}
	serverCert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(serverCert)
	creds := credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{clientCert}, RootCAs: roots, ServerName: "localhost", MinVersion: tls.VersionTLS12})
	conn := dial(t, addr, creds)
	out := &rawcodec.Frame{}
	if err := conn.Invoke(ctxT(t), "/tfplugin6.Provider/GetProviderSchema", &rawcodec.Frame{Data: []byte("tls")}, out); err != nil {
		t.Fatal(err)
	}
	if string(out.Data) != "tls" {
		t.Fatalf("got %q", out.Data)
	}
	// Without a client certificate the server refuses the call.
	plain := dial(t, addr, credentials.NewTLS(&tls.Config{RootCAs: roots, ServerName: "localhost", MinVersion: tls.VersionTLS12}))
	if err := plain.Invoke(ctxT(t), "/tfplugin6.Provider/GetProviderSchema", &rawcodec.Frame{}, &rawcodec.Frame{}); err == nil {
		t.Fatal("call without client certificate succeeded")
	}
	shutdown(t, conn)
	s.waitExit(t)
}

func TestServeFallbackForOldJava(t *testing.T) {
	s := startShim(t, "11.0.2")
	addr, _ := s.handshake(t)
	conn := dial(t, addr, insecure.NewCredentials())

	out := &rawcodec.Frame{}
	if err := conn.Invoke(ctxT(t), "/tfplugin6.Provider/GetProviderSchema", &rawcodec.Frame{}, out); err != nil {
		t.Fatal(err)
	}
	severity, summary, detail := decodeSchemaDiagnostic(t, out.Data)
	if severity != 1 || summary != "terraform-provider-rocketmq needs Java 17 or newer" ||
		!strings.Contains(detail, "Java 11.0.2") || !strings.Contains(detail, "JAVA_HOME") {
		t.Fatalf("diagnostic %d %q %q", severity, summary, detail)
	}

	err := conn.Invoke(ctxT(t), "/tfplugin6.Provider/ConfigureProvider", &rawcodec.Frame{}, &rawcodec.Frame{})
	st := status.Convert(err)
	if st.Code() != codes.FailedPrecondition || !strings.HasPrefix(st.Message(), summary+": ") || !strings.Contains(st.Message(), "JAVA_HOME") {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(s.record); !os.IsNotExist(err) {
		t.Error("Java 11 was started")
	}
	shutdown(t, conn)
	s.waitExit(t)
	checkLogs(t, s.stderr.String(), `"@message":"Java is not usable"`)
}

func TestWithoutCookieExplainsAndExits(t *testing.T) {
	s := startShim(t, "17", "TF_PLUGIN_MAGIC_COOKIE=")
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		t.Fatal("no exit")
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 1 {
		t.Fatalf("exit code %d", code)
	}
	if !strings.Contains(s.stderr.String(), "This binary is a plugin") {
		t.Fatalf("stderr %q", s.stderr.String())
	}
	if _, err := os.Stat(s.record); !os.IsNotExist(err) {
		t.Error("Java was started without the cookie")
	}
}

func readRecord(t *testing.T, path string) ([]string, int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	pid, err := strconv.Atoi(strings.TrimPrefix(lines[len(lines)-1], "pid="))
	if err != nil {
		t.Fatalf("record %q", data)
	}
	return lines[:len(lines)-1], pid
}

// decodeSchemaDiagnostic reads the single diagnostic of a
// GetProviderSchema.Response that must have no other fields.
func decodeSchemaDiagnostic(t *testing.T, b []byte) (severity uint64, summary, detail string) {
	t.Helper()
	num, typ, n := protowire.ConsumeTag(b)
	if n < 0 || num != 4 || typ != protowire.BytesType {
		t.Fatalf("response does not start with field 4: %x", b)
	}
	diag, m := protowire.ConsumeBytes(b[n:])
	if m < 0 || n+m != len(b) {
		t.Fatalf("response has more than one field: %x", b)
	}
	for len(diag) > 0 {
		num, typ, n := protowire.ConsumeTag(diag)
		if n < 0 {
			t.Fatal(protowire.ParseError(n))
		}
		diag = diag[n:]
		switch {
		case num == 1 && typ == protowire.VarintType:
			severity, n = protowire.ConsumeVarint(diag)
		case num == 2 && typ == protowire.BytesType:
			summary, n = protowire.ConsumeString(diag)
		case num == 3 && typ == protowire.BytesType:
			detail, n = protowire.ConsumeString(diag)
		default:
			t.Fatalf("unexpected diagnostic field %d", num)
		}
		if n < 0 {
			t.Fatal(protowire.ParseError(n))
		}
		diag = diag[n:]
	}
	return severity, summary, detail
}

func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "localhost"},
		DNSNames:              []string{"localhost"},
		NotBefore:             time.Now().Add(-time.Minute),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func TestTheSharedBackendOutlivesTheLauncherAndHoldsNoneOfItsOutput(t *testing.T) {
	root := t.TempDir()
	s := startShimIn(t, root, "17.0.15")
	addr, _ := s.handshake(t)
	conn := dial(t, addr, insecure.NewCredentials())
	out := &rawcodec.Frame{}
	if err := conn.Invoke(ctxT(t), "/tfplugin6.Provider/Echo", &rawcodec.Frame{Data: []byte("warm")}, out); err != nil {
		t.Fatal(err)
	}
	_, pid := readRecord(t, s.record)
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	shutdown(t, conn)
	// waitExit returns only once the launcher's stdout and stderr pipes are
	// closed: a backend that kept them open would hang a CI job reading them.
	s.waitExit(t)
	if err := syscall.Kill(pid, 0); err != nil {
		t.Fatalf("the shared backend stopped with its launcher: %v", err)
	}
	checkLogs(t, s.stderr.String(), `"@message":"fake session 1 attached"`, `"@message":"started a shared Java backend"`)

	next := startShimIn(t, root, "17.0.15")
	addr, _ = next.handshake(t)
	conn = dial(t, addr, insecure.NewCredentials())
	if err := conn.Invoke(ctxT(t), "/tfplugin6.Provider/Echo", &rawcodec.Frame{Data: []byte("again")}, out); err != nil {
		t.Fatal(err)
	}
	if _, again := readRecord(t, s.record); again != pid {
		t.Fatalf("the second launcher started backend %d instead of using %d", again, pid)
	}
	shutdown(t, conn)
	next.waitExit(t)
	checkLogs(t, next.stderr.String(), `"@message":"fake session 2 attached"`, `"@message":"attached to the running backend"`)
}

func TestTheSchemaSnapshotIsAnsweredWithoutWaitingForJava(t *testing.T) {
	root := t.TempDir()
	// Java 11 cannot run the backend, so only the launcher can answer.
	s := startShimIn(t, root, "11.0.2")
	snapshot := []byte("\x0a\x02schema-snapshot")
	if err := os.WriteFile(filepath.Join(root, "install", "lib", "provider-schema.pb"), snapshot, 0o644); err != nil {
		t.Fatal(err)
	}
	// The shim read lib/ at start; start another one now that the file is there.
	_ = s.cmd.Process.Kill()
	s = startShimIn(t, root, "11.0.2")
	addr, _ := s.handshake(t)
	conn := dial(t, addr, insecure.NewCredentials())
	out := &rawcodec.Frame{}
	if err := conn.Invoke(ctxT(t), "/tfplugin6.Provider/GetProviderSchema", &rawcodec.Frame{}, out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Data, snapshot) {
		t.Fatalf("got %q", out.Data)
	}
	err := conn.Invoke(ctxT(t), "/tfplugin6.Provider/ConfigureProvider", &rawcodec.Frame{}, &rawcodec.Frame{})
	if st := status.Convert(err); st.Code() != codes.FailedPrecondition || !strings.Contains(st.Message(), "Java 17") {
		t.Fatalf("other calls still need Java: %v", err)
	}
	shutdown(t, conn)
	s.waitExit(t)
}
