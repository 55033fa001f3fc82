package proxy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/fallback"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/proxy"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/rawcodec"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/testbackend"
	"google.golang.org/grpc/health"
)

type staticBackend struct {
	conn grpc.ClientConnInterface
	err  error
}

func (b staticBackend) Conn(context.Context) (grpc.ClientConnInterface, error) { return b.conn, b.err }

// setup starts the fake backend and a proxy server in front of it, and
// returns a client of the proxy.
func setup(t *testing.T, backendErr error) (*grpc.ClientConn, *testbackend.Server) {
	t.Helper()
	dir := t.TempDir()
	fake := testbackend.New()
	var backend staticBackend
	if backendErr == nil {
		srv, err := fake.Listen(filepath.Join(dir, "backend.sock"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Stop)
		conn, err := proxy.Dial(filepath.Join(dir, "backend.sock"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = conn.Close() })
		backend.conn = conn
	} else {
		backend.err = backendErr
	}

	lis, err := net.Listen("unix", filepath.Join(dir, "proxy.sock"))
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer(proxy.ServerOptions(backend)...)
	// A registered service, as go-plugin adds, must keep working.
	hs := health.NewServer()
	hs.SetServingStatus("plugin", grpc_health_v1.HealthCheckResponse_SERVING)
	grpc_health_v1.RegisterHealthServer(srv, hs)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)

	client, err := proxy.Dial(filepath.Join(dir, "proxy.sock"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client, fake
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func method(name string) string { return "/tfplugin6.Provider/" + name }

func TestUnaryEchoArbitraryBytes(t *testing.T) {
	client, _ := setup(t, nil)
	cases := map[string][]byte{
		"empty":        {},
		"invalid utf8": {0xff, 0xfe, 0x0a, 0x12, 0x03, 0xc3, 0x28, 0x00, 0x80},
		"proto-ish":    protowire.AppendString(protowire.AppendTag(nil, 2, protowire.BytesType), "\xc3\x28bad"),
	}
	for name, payload := range cases {
		t.Run(name, func(t *testing.T) {
			var hdr, tr metadata.MD
			out := &rawcodec.Frame{}
			err := client.Invoke(ctxT(t), method("Echo"), &rawcodec.Frame{Data: payload}, out, grpc.Header(&hdr), grpc.Trailer(&tr))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Data, payload) {
				t.Fatalf("got %x, want %x", out.Data, payload)
			}
			if got := hdr.Get("x-echo-header"); len(got) != 1 || got[0] != "h" {
				t.Errorf("header x-echo-header = %v", got)
			}
			if got := tr.Get("x-echo-trailer"); len(got) != 1 || got[0] != "t" {
				t.Errorf("trailer x-echo-trailer = %v", got)
			}
		})
	}
}

func TestUnaryLargeFrame(t *testing.T) {
	client, _ := setup(t, nil)
	payload := make([]byte, 20<<20)
	for i := range payload {
		payload[i] = byte(i * 7)
	}
	out := &rawcodec.Frame{}
	if err := client.Invoke(ctxT(t), method("GetProviderSchema"), &rawcodec.Frame{Data: payload}, out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Data, payload) {
		t.Fatalf("20 MiB frame came back different (len %d)", len(out.Data))
	}
}

func TestServerStreaming(t *testing.T) {
	client, _ := setup(t, nil)
	desc := &grpc.StreamDesc{ServerStreams: true}
	cs, err := client.NewStream(ctxT(t), desc, method("Count"))
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.SendMsg(&rawcodec.Frame{Data: []byte("5")}); err != nil {
		t.Fatal(err)
	}
	if err := cs.CloseSend(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		f := &rawcodec.Frame{}
		err := cs.RecvMsg(f)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(f.Data))
	}
	if fmt.Sprint(got) != "[item-0 item-1 item-2 item-3 item-4]" {
		t.Fatalf("got %v", got)
	}
}

func TestBidiStreaming(t *testing.T) {
	client, _ := setup(t, nil)
	desc := &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}
	cs, err := client.NewStream(ctxT(t), desc, method("Bidi"))
	if err != nil {
		t.Fatal(err)
	}
	// Interleave: each answer arrives before the next request is sent.
	for _, m := range []string{"a", "\xffb", "c"} {
		if err := cs.SendMsg(&rawcodec.Frame{Data: []byte(m)}); err != nil {
			t.Fatal(err)
		}
		f := &rawcodec.Frame{}
		if err := cs.RecvMsg(f); err != nil {
			t.Fatal(err)
		}
		if string(f.Data) != "re:"+m {
			t.Fatalf("got %q for %q", f.Data, m)
		}
	}
	if err := cs.CloseSend(); err != nil {
		t.Fatal(err)
	}
	f := &rawcodec.Frame{}
	if err := cs.RecvMsg(f); err != nil {
		t.Fatal(err)
	}
	if string(f.Data) != "done:3" {
		t.Fatalf("after half-close got %q", f.Data)
	}
	if err := cs.RecvMsg(&rawcodec.Frame{}); !errors.Is(err, io.EOF) {
		t.Fatalf("want EOF, got %v", err)
	}
}

func TestStatusAndTrailerPropagation(t *testing.T) {
	client, _ := setup(t, nil)
	var hdr, tr metadata.MD
	err := client.Invoke(ctxT(t), method("Fail"), &rawcodec.Frame{Data: []byte("x")}, &rawcodec.Frame{}, grpc.Header(&hdr), grpc.Trailer(&tr))
	st, _ := status.FromError(err)
	if st.Code() != testbackend.FailCode || st.Message() != testbackend.FailMessage {
		t.Fatalf("got %v %q", st.Code(), st.Message())
	}
	if got := tr.Get("x-fail"); len(got) != 1 || got[0] != "yes" {
		t.Errorf("trailer x-fail = %v (trailer %v)", got, tr)
	}
	if got := hdr.Get("x-fail-header"); len(got) != 1 || got[0] != "early" {
		t.Errorf("header x-fail-header = %v (header %v)", got, hdr)
	}
}

func TestMetadataForwarding(t *testing.T) {
	client, _ := setup(t, nil)
	ctx := metadata.AppendToOutgoingContext(ctxT(t), "x-request-id", "r-1", "x-multi", "one", "x-multi", "two", "x-bin-bin", "\x00\x01\xff")
	out := &rawcodec.Frame{}
	if err := client.Invoke(ctx, method("Metadata"), &rawcodec.Frame{}, out); err != nil {
		t.Fatal(err)
	}
	var raw map[string][][]byte
	if err := json.Unmarshal(out.Data, &raw); err != nil {
		t.Fatal(err)
	}
	md := map[string][]string{}
	for k, vs := range raw {
		for _, v := range vs {
			md[k] = append(md[k], string(v))
		}
	}
	if fmt.Sprint(md["x-request-id"]) != "[r-1]" || fmt.Sprint(md["x-multi"]) != "[one two]" {
		t.Errorf("metadata not forwarded: %v", md)
	}
	if md["x-bin-bin"] == nil || md["x-bin-bin"][0] != "\x00\x01\xff" {
		t.Errorf("binary metadata not forwarded: %q", md["x-bin-bin"])
	}
	// The proxy's own leg sets its own transport headers; the caller's are
	// not duplicated.
	if ua := md["user-agent"]; len(ua) != 1 {
		t.Errorf("user-agent = %v, want exactly one", ua)
	}
}

func TestCancellationReachesBackend(t *testing.T) {
	client, fake := setup(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- client.Invoke(ctx, method("Block"), &rawcodec.Frame{}, &rawcodec.Frame{}) }()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case m := <-fake.Cancelled:
		if m != method("Block") {
			t.Fatalf("cancelled %s", m)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("backend never saw the cancellation")
	}
	if err := <-done; status.Code(err) != codes.Canceled {
		t.Fatalf("client got %v", err)
	}
}

func TestDeadlineReachesBackend(t *testing.T) {
	client, fake := setup(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err := client.Invoke(ctx, method("Block"), &rawcodec.Frame{}, &rawcodec.Frame{})
	if status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("got %v", err)
	}
	select {
	case <-fake.Cancelled:
	case <-time.After(3 * time.Second):
		t.Fatal("backend never saw the deadline")
	}
}

func TestOtherServicesUnimplemented(t *testing.T) {
	client, _ := setup(t, nil)
	for _, m := range []string{"/tfplugin5.Provider/GetProviderSchema", "/other.Service/Echo", "/tfplugin6.Provider/"} {
		err := client.Invoke(ctxT(t), m, &rawcodec.Frame{}, &rawcodec.Frame{})
		if status.Code(err) != codes.Unimplemented {
			t.Errorf("%s: got %v, want Unimplemented", m, err)
		}
	}
}

func TestRegisteredServiceStillWorks(t *testing.T) {
	client, _ := setup(t, nil)
	resp, err := grpc_health_v1.NewHealthClient(client).Check(ctxT(t), &grpc_health_v1.HealthCheckRequest{Service: "plugin"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != grpc_health_v1.HealthCheckResponse_SERVING {
		t.Fatalf("status %v", resp.Status)
	}
}

func TestFallbackWhenBackendUnusable(t *testing.T) {
	problem := &fallback.Error{Summary: "terraform-provider-rocketmq needs Java 17 or newer", Detail: "JAVA_HOME is /x. Install a JDK 17+ and set JAVA_HOME to it."}
	client, _ := setup(t, problem)

	out := &rawcodec.Frame{}
	if err := client.Invoke(ctxT(t), method("GetProviderSchema"), &rawcodec.Frame{Data: []byte{0x0a, 0x00}}, out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Data, fallback.SchemaResponse(problem.Summary, problem.Detail)) {
		t.Fatalf("schema fallback bytes %x", out.Data)
	}

	err := client.Invoke(ctxT(t), method("ConfigureProvider"), &rawcodec.Frame{}, &rawcodec.Frame{})
	st, _ := status.FromError(err)
	if st.Code() != codes.FailedPrecondition || st.Message() != problem.Error() {
		t.Fatalf("got %v %q", st.Code(), st.Message())
	}
	// Streaming methods fail the same way.
	cs, err := client.NewStream(ctxT(t), &grpc.StreamDesc{ServerStreams: true}, method("ListResource"))
	if err != nil {
		t.Fatal(err)
	}
	_ = cs.SendMsg(&rawcodec.Frame{})
	_ = cs.CloseSend()
	if err := cs.RecvMsg(&rawcodec.Frame{}); status.Code(err) != codes.FailedPrecondition {
		t.Fatalf("stream got %v", err)
	}
}
