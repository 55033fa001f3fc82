// Package session attaches a launcher to the provider's Java backend.
//
// The backend serves many launchers at once; each opens its own connection
// and calls /tfrocketmq.backend.v1.Backend/Attach on it first. That makes the
// connection a session with the launcher's environment and working directory:
// every tfplugin6 call on the same connection then runs against that
// session's provider instance. The Attach call stays open for the life of the
// session and carries the session's log lines back; they are written to the
// launcher's stderr, where Terraform reads them.
//
// The messages are encoded here by hand (see proto/.../backend.proto for the
// field numbers) so the launcher needs no generated code.
package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/logs"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/rawcodec"
)

// AttachMethod is the full name of the Attach call.
const AttachMethod = "/tfrocketmq.backend.v1.Backend/Attach"

// Field numbers from backend.proto.
const (
	reqBuild            protowire.Number = 1
	reqWorkingDirectory protowire.Number = 2
	reqEnvironment      protowire.Number = 3
	reqLauncherPid      protowire.Number = 4
	mapKey              protowire.Number = 1
	mapValue            protowire.Number = 2
	eventAttached       protowire.Number = 1
	eventLog            protowire.Number = 2
	attachedSession     protowire.Number = 1
	attachedBackendPid  protowire.Number = 2
	logLine             protowire.Number = 1
)

// Request is what a launcher tells the backend about itself.
type Request struct {
	Build            string
	WorkingDirectory string
	Environment      map[string]string
	LauncherPid      int
}

// Shared names the environment variables a session carries besides TF_*:
// what the provider needs to act as the user who ran Terraform, and the admin
// credentials its provider block may take from the environment (they travel
// only over the backend's private socket and are never logged).
var Shared = []string{"HOME", "USER", "LOGNAME", "PATH", "SSH_AUTH_SOCK", "JAVA_HOME", "LANG", "LC_ALL", "TMPDIR",
	"ROCKETMQ_ACCESS_KEY", "ROCKETMQ_SECRET_KEY"}

// RequestFromProcess describes this launcher: its working directory and the
// variables in Shared plus every TF_* variable except TF_VAR_* (input
// variables are configuration, and may be secrets the backend has no use for).
func RequestFromProcess(build string) Request {
	wd, _ := os.Getwd()
	return Request{Build: build, WorkingDirectory: wd, Environment: Environment(os.Environ()), LauncherPid: os.Getpid()}
}

// Environment picks the session's variables out of a KEY=value list.
func Environment(environ []string) map[string]string {
	keep := map[string]bool{}
	for _, k := range Shared {
		keep[k] = true
	}
	out := map[string]string{}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		if keep[k] || (strings.HasPrefix(k, "TF_") && !strings.HasPrefix(k, "TF_VAR_")) {
			out[k] = v
		}
	}
	return out
}

// Encode returns the AttachRequest message.
func (r Request) Encode() []byte {
	var b []byte
	b = protowire.AppendTag(b, reqBuild, protowire.BytesType)
	b = protowire.AppendString(b, r.Build)
	b = protowire.AppendTag(b, reqWorkingDirectory, protowire.BytesType)
	b = protowire.AppendString(b, r.WorkingDirectory)
	keys := make([]string, 0, len(r.Environment))
	for k := range r.Environment {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var entry []byte
		entry = protowire.AppendTag(entry, mapKey, protowire.BytesType)
		entry = protowire.AppendString(entry, k)
		entry = protowire.AppendTag(entry, mapValue, protowire.BytesType)
		entry = protowire.AppendString(entry, r.Environment[k])
		b = protowire.AppendTag(b, reqEnvironment, protowire.BytesType)
		b = protowire.AppendBytes(b, entry)
	}
	b = protowire.AppendTag(b, reqLauncherPid, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(r.LauncherPid))
	return b
}

// Event is one decoded backend event: either Attached (Session set) or a
// log line.
type Event struct {
	Session    string
	BackendPid int
	Line       []byte
}

// DecodeEvent parses an Event message. Unknown fields are skipped.
func DecodeEvent(b []byte) (Event, error) {
	var ev Event
	err := eachField(b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		switch {
		case num == eventAttached && typ == protowire.BytesType:
			return eachField(v, func(n protowire.Number, t protowire.Type, inner []byte, x uint64) error {
				switch {
				case n == attachedSession && t == protowire.BytesType:
					ev.Session = string(inner)
				case n == attachedBackendPid && t == protowire.VarintType:
					ev.BackendPid = int(x)
				}
				return nil
			})
		case num == eventLog && typ == protowire.BytesType:
			return eachField(v, func(n protowire.Number, t protowire.Type, inner []byte, _ uint64) error {
				if n == logLine && t == protowire.BytesType {
					ev.Line = append([]byte(nil), inner...)
				}
				return nil
			})
		}
		return nil
	})
	return ev, err
}

func eachField(b []byte, fn func(protowire.Number, protowire.Type, []byte, uint64) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		var bytes []byte
		var varint uint64
		switch typ {
		case protowire.BytesType:
			bytes, n = protowire.ConsumeBytes(b)
		case protowire.VarintType:
			varint, n = protowire.ConsumeVarint(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		if err := fn(num, typ, bytes, varint); err != nil {
			return err
		}
	}
	return nil
}

// Session is an attached connection.
type Session struct {
	Conn       *grpc.ClientConn
	ID         string
	BackendPid int

	done chan struct{}
	mu   sync.Mutex
	err  error // why the event stream ended
}

// ErrRefused marks an Attach the backend answered with a refusal (another
// build, a second attach) rather than a transport failure.
var ErrRefused = errors.New("the backend refused the session")

var serverStream = &grpc.StreamDesc{ServerStreams: true}

// Attach opens the session on conn and returns once the backend confirmed
// it. Afterwards the session's log lines go to jvmLog until the backend or
// the connection ends the stream; ctx bounds only the wait for the
// confirmation.
func Attach(ctx context.Context, conn *grpc.ClientConn, req Request, jvmLog *logs.Logger) (*Session, error) {
	streamCtx, cancel := context.WithCancel(context.Background())
	stream, err := conn.NewStream(streamCtx, serverStream, AttachMethod, grpc.ForceCodecV2(rawcodec.Codec{}), grpc.WaitForReady(false))
	if err != nil {
		cancel()
		return nil, err
	}
	if err := stream.SendMsg(&rawcodec.Frame{Data: req.Encode()}); err != nil {
		cancel()
		return nil, err
	}
	if err := stream.CloseSend(); err != nil {
		cancel()
		return nil, err
	}
	type first struct {
		ev  Event
		err error
	}
	firstCh := make(chan first, 1)
	go func() {
		f := &rawcodec.Frame{}
		if err := stream.RecvMsg(f); err != nil {
			firstCh <- first{err: err}
			return
		}
		ev, err := DecodeEvent(f.Data)
		firstCh <- first{ev: ev, err: err}
	}()
	var got first
	select {
	case got = <-firstCh:
	case <-ctx.Done():
		cancel()
		return nil, ctx.Err()
	}
	if got.err != nil {
		cancel()
		if s, ok := status.FromError(got.err); ok && (s.Code() == codes.FailedPrecondition || s.Code() == codes.InvalidArgument) {
			return nil, fmt.Errorf("%w: %s", ErrRefused, s.Message())
		}
		return nil, got.err
	}
	if got.ev.Session == "" {
		cancel()
		return nil, errors.New("the backend's first event was not the session's confirmation")
	}
	s := &Session{Conn: conn, ID: got.ev.Session, BackendPid: got.ev.BackendPid, done: make(chan struct{})}
	go func() {
		defer cancel()
		defer close(s.done)
		for {
			f := &rawcodec.Frame{}
			if err := stream.RecvMsg(f); err != nil {
				if errors.Is(err, io.EOF) {
					err = errors.New("the backend ended the session")
				}
				s.mu.Lock()
				s.err = err
				s.mu.Unlock()
				return
			}
			ev, err := DecodeEvent(f.Data)
			if err == nil && ev.Line != nil {
				jvmLog.Forward(ev.Line)
			}
		}
	}()
	return s, nil
}

// Done is closed when the backend's event stream has ended: the backend
// stopped, or the connection broke.
func (s *Session) Done() <-chan struct{} { return s.done }

// Err says why the session ended, once Done is closed.
func (s *Session) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// EncodeAttached returns an Event message confirming a session (the
// backend's side of the contract, for fakes and tests).
func EncodeAttached(id string, backendPid int) []byte {
	var inner []byte
	inner = protowire.AppendTag(inner, attachedSession, protowire.BytesType)
	inner = protowire.AppendString(inner, id)
	inner = protowire.AppendTag(inner, attachedBackendPid, protowire.VarintType)
	inner = protowire.AppendVarint(inner, uint64(backendPid))
	var b []byte
	b = protowire.AppendTag(b, eventAttached, protowire.BytesType)
	return protowire.AppendBytes(b, inner)
}

// EncodeLog returns an Event message carrying one log line.
func EncodeLog(line []byte) []byte {
	var inner []byte
	inner = protowire.AppendTag(inner, logLine, protowire.BytesType)
	inner = protowire.AppendBytes(inner, line)
	var b []byte
	b = protowire.AppendTag(b, eventLog, protowire.BytesType)
	return protowire.AppendBytes(b, inner)
}

// DecodeRequest parses an AttachRequest message (the backend's side).
func DecodeRequest(b []byte) (Request, error) {
	r := Request{Environment: map[string]string{}}
	err := eachField(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		switch {
		case num == reqBuild && typ == protowire.BytesType:
			r.Build = string(v)
		case num == reqWorkingDirectory && typ == protowire.BytesType:
			r.WorkingDirectory = string(v)
		case num == reqLauncherPid && typ == protowire.VarintType:
			r.LauncherPid = int(x)
		case num == reqEnvironment && typ == protowire.BytesType:
			var k, val string
			if err := eachField(v, func(n protowire.Number, t protowire.Type, inner []byte, _ uint64) error {
				if t == protowire.BytesType && n == mapKey {
					k = string(inner)
				} else if t == protowire.BytesType && n == mapValue {
					val = string(inner)
				}
				return nil
			}); err != nil {
				return err
			}
			r.Environment[k] = val
		}
		return nil
	})
	return r, err
}
