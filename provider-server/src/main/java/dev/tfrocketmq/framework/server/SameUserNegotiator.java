package dev.tfrocketmq.framework.server;

import dev.tfrocketmq.framework.log.Log;
import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Plain-text HTTP/2 on the unix socket, but only for peers of this process's own user: the kernel's SO_PEERCRED
 * credentials of each new connection are checked before gRPC sees a byte, and a connection from another user is
 * closed. The socket's 0700 directory is the first guard; this is the second.
 */
final class SameUserNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
    private static final Log LOG = Log.named("backend");

    private final InternalProtocolNegotiator.ProtocolNegotiator plaintext =
            InternalProtocolNegotiators.serverPlaintext();
    private final int uid;

    SameUserNegotiator(int uid) {
        this.uid = uid;
    }

    /** The real uid of this process. */
    static int ownUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot determine this process's uid: " + e.getMessage(), e);
        }
    }

    @Override
    public AsciiString scheme() {
        return plaintext.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        ChannelHandler next = plaintext.newHandler(grpcHandler);
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                int peer = peerUid(ctx);
                if (peer != uid) {
                    LOG.warn("refused a connection from another user", "peer_uid", peer, "uid", uid);
                    ctx.close();
                    return;
                }
                ctx.pipeline().replace(this, null, next);
            }
        };
    }

    private static int peerUid(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof EpollDomainSocketChannel channel) {
            try {
                return channel.peerCredentials().uid();
            } catch (IOException e) {
                return -1;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        plaintext.close();
    }
}
