// Package proxy forwards tfplugin6 gRPC calls, unchanged, from the server that
// go-plugin runs to the Java backend.
//
// The tfplugin6.Provider service is deliberately not registered on the
// server, so every call to it reaches the handler installed with
// grpc.UnknownServiceHandler. The handler opens a stream with the same method
// name on the backend and pumps raw message frames in both directions (see
// package rawcodec), which serves unary and streaming methods alike without
// any generated code. Headers, trailers, status codes and messages are passed
// back as the backend sent them.
package proxy

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/fallback"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/rawcodec"
)

// ServicePrefix is the method prefix of the forwarded service.
const ServicePrefix = "/tfplugin6.Provider/"

// MaxMessageSize is the send and receive limit on both legs, as in
// terraform-plugin-go.
const MaxMessageSize = 256 << 20

// Backend hands out the connection to the Java server.
type Backend interface {
	// Conn blocks until the backend is ready and returns its connection,
	// or returns why it cannot be used (then the call gets a fallback
	// answer), or ctx's error.
	Conn(ctx context.Context) (grpc.ClientConnInterface, error)
}

// Explainer is implemented by backends that can say more about a failed
// call, such as that the backend process stopped during it.
type Explainer interface {
	Explain(method string, err error) error
}

// ServerOptions returns the options that make a gRPC server forward
// tfplugin6 calls to b while its registered services keep working.
func ServerOptions(b Backend) []grpc.ServerOption {
	return ServerOptionsWith(b, nil)
}

// ServerOptionsWith is ServerOptions with answers the launcher gives itself:
// a unary method named in static is answered with its bytes, without waiting
// for the backend (the build proves them identical to the backend's).
func ServerOptionsWith(b Backend, static map[string][]byte) []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.UnknownServiceHandler(HandlerWith(b, static)),
		grpc.ForceServerCodecV2(rawcodec.Codec{}),
		grpc.MaxRecvMsgSize(MaxMessageSize),
		grpc.MaxSendMsgSize(MaxMessageSize),
	}
}

// Dial returns a (lazily connecting) client for the backend listening on
// the unix socket at path.
func Dial(path string) (*grpc.ClientConn, error) {
	return grpc.NewClient("unix://"+path,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(
			grpc.ForceCodecV2(rawcodec.Codec{}),
			grpc.MaxCallRecvMsgSize(MaxMessageSize),
			grpc.MaxCallSendMsgSize(MaxMessageSize),
		),
	)
}

// Handler returns the stream handler for unknown services.
func Handler(b Backend) grpc.StreamHandler {
	return HandlerWith(b, nil)
}

// HandlerWith is Handler with static answers (see ServerOptionsWith).
func HandlerWith(b Backend, static map[string][]byte) grpc.StreamHandler {
	return func(_ any, ss grpc.ServerStream) error {
		method, ok := grpc.MethodFromServerStream(ss)
		if !ok {
			return status.Error(codes.Internal, "proxy: no method name in stream context")
		}
		if !strings.HasPrefix(method, ServicePrefix) || len(method) == len(ServicePrefix) {
			return status.Errorf(codes.Unimplemented, "unknown service or method %s", method)
		}
		if answer, ok := static[method]; ok {
			// Consume the (unary) request; the answer does not depend on it.
			if err := ss.RecvMsg(&rawcodec.Frame{}); err != nil {
				return err
			}
			return ss.SendMsg(&rawcodec.Frame{Data: answer})
		}
		conn, err := b.Conn(ss.Context())
		if err != nil {
			return fallback.Respond(ss, method, err)
		}
		err = Forward(ss, conn, method)
		if e, ok := b.(Explainer); ok && err != nil {
			err = e.Explain(method, err)
		}
		return err
	}
}

var bidi = &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}

// downResult is how the backend-to-caller pump ended.
type downResult struct {
	err         error
	fromBackend bool // err came from the backend stream (io.EOF = OK status)
}

// Forward relays the call on ss to method on conn until either side ends it.
func Forward(ss grpc.ServerStream, conn grpc.ClientConnInterface, method string) error {
	ctx, cancel := context.WithCancel(ss.Context())
	defer cancel()
	md, _ := metadata.FromIncomingContext(ss.Context())
	ctx = metadata.NewOutgoingContext(ctx, filterMetadata(md))

	cs, err := conn.NewStream(ctx, bidi, method, grpc.ForceCodecV2(rawcodec.Codec{}))
	if err != nil {
		return status.Convert(err).Err()
	}

	upDone := make(chan error, 1)
	downDone := make(chan downResult, 1)
	go func() { upDone <- pumpUp(ss, cs) }()
	go func() { downDone <- pumpDown(cs, ss) }()

	for {
		select {
		case err := <-upDone:
			if errors.Is(err, io.EOF) {
				// The caller half-closed (or the backend stopped reading):
				// pass the half-close on and wait for the backend's answer.
				_ = cs.CloseSend()
				upDone = nil
				continue
			}
			// The caller's side broke (cancelled, oversized message...):
			// abandon the backend call.
			cancel()
			return status.Convert(err).Err()
		case res := <-downDone:
			if !res.fromBackend {
				cancel()
				return status.Convert(res.err).Err()
			}
			if tr := filterMetadata(cs.Trailer()); len(tr) > 0 {
				ss.SetTrailer(tr)
			}
			if errors.Is(res.err, io.EOF) {
				return nil
			}
			return res.err
		}
	}
}

// pumpUp copies caller messages to the backend. It returns io.EOF when the
// caller half-closed or the backend ended the stream (its status then comes
// from pumpDown); any other error means the caller's side failed.
func pumpUp(ss grpc.ServerStream, cs grpc.ClientStream) error {
	for {
		f := &rawcodec.Frame{}
		if err := ss.RecvMsg(f); err != nil {
			return err
		}
		if err := cs.SendMsg(f); err != nil {
			if errors.Is(err, io.EOF) {
				return io.EOF
			}
			return err
		}
	}
}

// pumpDown copies the backend's headers and messages to the caller.
func pumpDown(cs grpc.ClientStream, ss grpc.ServerStream) downResult {
	// Header blocks until the backend sends headers; on a trailers-only
	// answer it returns nothing and RecvMsg below reports the status.
	if hdr, err := cs.Header(); err == nil {
		if hdr = filterMetadata(hdr); len(hdr) > 0 {
			if err := ss.SendHeader(hdr); err != nil {
				return downResult{err: err}
			}
		}
	}
	for {
		f := &rawcodec.Frame{}
		if err := cs.RecvMsg(f); err != nil {
			return downResult{err: err, fromBackend: true}
		}
		if err := ss.SendMsg(f); err != nil {
			return downResult{err: err}
		}
	}
}

// filterMetadata drops the keys that belong to the transport of one leg
// (pseudo-headers, content type, user agent, gRPC framing headers) rather
// than to the call.
func filterMetadata(md metadata.MD) metadata.MD {
	out := metadata.MD{}
	for k, v := range md {
		if dropKey(k) {
			continue
		}
		out[k] = append([]string(nil), v...)
	}
	return out
}

func dropKey(k string) bool {
	if strings.HasPrefix(k, ":") {
		return true
	}
	switch k {
	case "content-type", "user-agent", "te", "connection", "host",
		"grpc-timeout", "grpc-encoding", "grpc-accept-encoding",
		"grpc-message-type", "grpc-status", "grpc-message", "grpc-status-details-bin":
		return true
	}
	return false
}

// Plugin is the go-plugin plugin that makes go-plugin choose its gRPC
// protocol. It registers nothing: tfplugin6 calls reach Handler instead.
type Plugin struct {
	plugin.NetRPCUnsupportedPlugin
}

// GRPCServer implements plugin.GRPCPlugin.
func (Plugin) GRPCServer(*plugin.GRPCBroker, *grpc.Server) error { return nil }

// GRPCClient implements plugin.GRPCPlugin; the shim is never a client.
func (Plugin) GRPCClient(context.Context, *plugin.GRPCBroker, *grpc.ClientConn) (any, error) {
	return nil, errors.New("terraform-provider-rocketmq: no plugin client")
}
