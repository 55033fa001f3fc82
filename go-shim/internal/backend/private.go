package backend

import (
	"context"
	"errors"
	"sync"

	"google.golang.org/grpc"

	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/jvm"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/logs"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/proxy"
	"github.com/tfrocketmq/terraform-provider-rocketmq/go-shim/internal/session"
)

// Private is a backend of this launcher's own (TF_ROCKETMQ_BACKEND=process):
// a JVM started for this launcher, which exits with it. The launcher still
// attaches to it as a session, so the backend has one way of serving.
type Private struct {
	jvm *jvm.Backend
	req session.Request
	log *logs.Logger

	once sync.Once
	sess *session.Session
	err  error
}

var _ proxy.Backend = (*Private)(nil)

// OpenPrivate starts a JVM of this launcher's own.
func OpenPrivate(opts jvm.Options, req session.Request) *Private {
	return &Private{jvm: jvm.Launch(opts), req: req, log: opts.Log}
}

// Conn implements proxy.Backend.
func (p *Private) Conn(ctx context.Context) (grpc.ClientConnInterface, error) {
	c, err := p.jvm.Conn(ctx)
	if err != nil {
		return nil, err
	}
	p.once.Do(func() {
		conn, ok := c.(*grpc.ClientConn)
		if !ok {
			p.err = errors.New("unexpected connection type")
			return
		}
		actx, cancel := context.WithTimeout(context.Background(), attachTimeout)
		defer cancel()
		p.sess, p.err = session.Attach(actx, conn, p.req, p.log.Named(jvm.LogModule))
	})
	if p.err != nil {
		return nil, p.err
	}
	return p.sess.Conn, nil
}

// Close stops the JVM.
func (p *Private) Close() { p.jvm.Stop() }
