package org.ringchat.transport.netty.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.ClosedChannelException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import org.ringchat.api.PeerId;

/**
 * The end of one connection's pipeline: learns the peer's identity from the TLS handshake, hands frames
 * to the transport, and closes the connection with one log line when the peer breaks the rules.
 * Confined to the channel's event loop.
 */
final class PeerChannelHandler extends ChannelInboundHandlerAdapter {

    private final NettyTransport transport;
    /** The connection we are opening, or null when the peer connected to us. */
    private final NettyTransport.Dial dial;
    /** Where the peer that connected to us connects from, or null for the connection we are opening. */
    private final InetAddress inboundFrom;
    /** For a connection a peer opened: whether it asked for the dial-back's name; null otherwise. */
    private final DialBackName dialBack;
    /** The peer a relay said opened this circuit to us, or null for a direct connection. */
    private final PeerId relayedFrom;
    /** Which of {@link InboundLimits}' counts this connection holds: a handshake slot, then one of its peer's. */
    private boolean countsAsInboundHandshake;
    private boolean countsAsInboundPeer;
    /** Set once the peer proved its key. */
    private PeerId peer;
    /** Set once the connection is being closed: later errors on it are consequences, not news. */
    private boolean closing;

    private PeerChannelHandler(NettyTransport transport, NettyTransport.Dial dial, InetAddress inboundFrom,
                               DialBackName dialBack, PeerId relayedFrom) {
        this.transport = transport;
        this.dial = dial;
        this.inboundFrom = inboundFrom;
        this.dialBack = dialBack;
        this.relayedFrom = relayedFrom;
        this.countsAsInboundHandshake = inboundFrom != null;
    }

    /** For a connection we open. */
    static PeerChannelHandler outbound(NettyTransport transport, NettyTransport.Dial dial) {
        return new PeerChannelHandler(transport, dial, null, null, null);
    }

    /**
     * For a connection a peer opened from {@code from}, whose handshake {@link InboundLimits} counted;
     * {@code dialBack} tells whether it only dials back.
     */
    static PeerChannelHandler inbound(NettyTransport transport, InetAddress from, DialBackName dialBack) {
        return new PeerChannelHandler(transport, null, from, dialBack, null);
    }

    /** For a circuit a relay says {@code source} opened to us; the relay itself counted it. */
    static PeerChannelHandler relayed(NettyTransport transport, PeerId source) {
        return new PeerChannelHandler(transport, null, null, null, source);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent) {
            SslHandshakeCompletionEvent handshake = (SslHandshakeCompletionEvent) event;
            endInboundHandshake();
            if (handshake.isSuccess()) {
                transport.handshakeCompleted();
                authenticate(ctx);
            } else if (handshake.cause() instanceof ClosedChannelException) {
                // The peer hung up before the handshake was done: it broke no rule (a flood of such is bounded).
                lose(ctx, NettyTransport.reason(handshake.cause()));
            } else {
                reject(ctx, NettyTransport.reason(handshake.cause()));
            }
        } else if (event instanceof IdleStateEvent) {
            // Connections are opened again when needed; one nobody uses costs a peer a file descriptor.
            NettyTransport.LOG.log(System.Logger.Level.DEBUG, "closing idle " + describe(ctx));
            ctx.close();
        }
        super.userEventTriggered(ctx, event);
    }

    private void authenticate(ChannelHandlerContext ctx) {
        PeerId proven;
        try {
            Certificate[] chain = ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
            proven = PeerCertificates.peerId((X509Certificate) chain[0]);
        } catch (SSLPeerUnverifiedException | CertificateException e) {
            reject(ctx, "no usable peer certificate: " + e.getMessage());
            return;
        }
        if (dial != null && !proven.equals(dial.address.peerId())) {
            reject(ctx, "presented the key of peer " + proven + ", not of the expected " + dial.address.peerId());
        } else if (relayedFrom != null && !proven.equals(relayedFrom)) {
            reject(ctx, "presented the key of peer " + proven + ", not of " + relayedFrom + " the relay announced");
        } else if (proven.equals(transport.self())) {
            reject(ctx, "presented this node's own key");
        } else if (dialBack != null && dialBack.requested()) {
            // The peer only checks that it can reach this node; the dial-back hangs up by itself.
            NettyTransport.LOG.log(System.Logger.Level.DEBUG, "dialled back by " + proven);
        } else if (inboundFrom == null || admitInbound(ctx, proven)) {
            peer = proven;
            transport.authenticated(ctx.channel(), proven, dial);
        }
    }

    private boolean admitInbound(ChannelHandlerContext ctx, PeerId proven) {
        InboundLimits.Refusal refusal = transport.inboundLimits().admitPeer(proven);
        if (refusal != null) {
            NettyTransport.logRefusal(describe(ctx) + " (peer " + proven + ")", refusal);
            closing = true;
            ctx.close();
            return false;
        }
        countsAsInboundPeer = true;
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        // TLS passes on data only after the handshake, whose completion event comes first: peer is set.
        if (!closing && peer != null) {
            transport.deliver(peer, (Frame) message, ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException && !(cause instanceof SSLException)) {
            lose(ctx, NettyTransport.reason(cause));
        } else {
            reject(ctx, NettyTransport.reason(cause));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        endInboundHandshake();
        if (countsAsInboundPeer) {
            countsAsInboundPeer = false;
            transport.inboundLimits().peerClosed(peer);
        }
        if (peer != null) {
            transport.connectionClosed(ctx.channel(), peer);
        } else if (dial != null) {
            transport.dialFailed(dial, "connection closed during the TLS handshake");
        }
        super.channelInactive(ctx);
    }

    /** Logs one warning for the first reason a connection is refused, and closes it. */
    private void reject(ChannelHandlerContext ctx, String reason) {
        if (!closing && !transport.isClosed()) {
            NettyTransport.LOG.log(System.Logger.Level.WARNING, "rejected " + describe(ctx) + ": " + reason);
        }
        close(ctx, reason);
    }

    /** The network failed (e.g. connection reset): not the peer's fault, nothing to warn about. */
    private void lose(ChannelHandlerContext ctx, String reason) {
        if (!closing) {
            NettyTransport.LOG.log(System.Logger.Level.DEBUG, "lost " + describe(ctx) + ": " + reason);
        }
        close(ctx, reason);
    }

    private void close(ChannelHandlerContext ctx, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        if (dial != null && peer == null) {
            transport.dialFailed(dial, reason);
        }
        ctx.close();
    }

    private String describe(ChannelHandlerContext ctx) {
        if (dial != null) {
            return "connection to " + dial.address;
        }
        if (relayedFrom != null) {
            return "relayed connection from " + relayedFrom;
        }
        return "connection from " + ctx.channel().remoteAddress() + (peer == null ? "" : " (peer " + peer + ")");
    }

    private void endInboundHandshake() {
        if (countsAsInboundHandshake) {
            countsAsInboundHandshake = false;
            transport.inboundLimits().handshakeEnded(inboundFrom);
        }
    }
}
