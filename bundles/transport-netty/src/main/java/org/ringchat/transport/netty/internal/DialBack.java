package org.ringchat.transport.netty.internal;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.Promise;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.Reachability;

/**
 * Whether others can dial this node: it asks a peer it is connected to to open a connection to its
 * advertised address (REACH_REQUEST), and that peer answers what it found (REACH_RESULT); and the same the
 * other way round, for the peers that ask this node. A dial-back only completes the TLS handshake, proving
 * the asker's key, and hangs up; it names itself by a server name (SNI), so that the asker does not take it
 * for its connection to this node. Thread-safe.
 */
final class DialBack {

    /** The server name a dial-back presents; a node never registers a connection that carries it. */
    static final String SERVER_NAME = "dial-back.ringchat";
    /** How often this node asks again once it knows, and at most how often a peer may ask it. */
    static final Duration RECHECK = Duration.ofMinutes(5);
    /** How soon a node asks again while it does not know (nobody answered, or nobody would dial back). */
    static final Duration RETRY = Duration.ofSeconds(10);
    /** The first wait before asking again after a refusal or no answer; it doubles up to {@link #RETRY}. */
    private static final Duration ASK_AGAIN_AFTER = Duration.ofSeconds(1);
    /** Refused or unanswered questions in a row after which a node waits for a new connection or group change. */
    private static final int MAX_ASKS_IN_A_ROW = 12;
    private static final int MAX_DIALS_IN_PROGRESS = 8;
    private static final int MAX_ASKERS_REMEMBERED = 1024;

    private final NettyTransport transport;
    private final SecureRandom random = new SecureRandom();

    private Reachability.Status status = Reachability.Status.UNKNOWN;
    private String detail = "no member has dialled this node back yet";
    private long askedAtNanos;
    private boolean everAsked;
    /** The question in flight: nonce and whom it was asked of, or 0 and null. */
    private long nonce;
    private PeerId askedOf;
    /** The last connection this node could ask over, to ask again when it is time. */
    private PeerId lastPeer;
    private Channel lastChannel;
    /** Questions refused or unanswered since the last answer, new connection or group change. */
    private int unansweredInARow;
    private boolean askAgainScheduled;

    private int dialsInProgress;
    private final Map<PeerId, Long> askedByPeer = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<PeerId, Long> eldest) {
            return size() > MAX_ASKERS_REMEMBERED;
        }
    };

    DialBack(NettyTransport transport) {
        this.transport = transport;
    }

    synchronized Reachability.Status status() {
        return status;
    }

    synchronized String detail() {
        return detail;
    }

    // ---------------------------------------------------------------- asking

    /** An authenticated connection to {@code peer}: ask it to dial back, when it is time to ask again. */
    void connected(PeerId peer, Channel channel) {
        synchronized (this) {
            lastPeer = peer;
            lastChannel = channel;
            unansweredInARow = 0;
        }
        recheck();
    }

    /** The groups changed: a node that just became a member may now be dialled back, and asks again soon if not. */
    void groupsChanged() {
        synchronized (this) {
            unansweredInARow = 0;
        }
        recheck();
    }

    /** Asks over the last connection, when it is time to ask again (e.g. the asker has just become a member). */
    void recheck() {
        PeerAddress self;
        RelayFrames.ReachRequest request;
        PeerId peer;
        Channel channel;
        synchronized (this) {
            peer = lastPeer;
            channel = lastChannel;
            long now = System.nanoTime();
            if (channel == null || !channel.isActive()) {
                return;
            }
            if (askedOf != null && now - askedAtNanos < RETRY.toNanos()) {
                // An answer is due; one that does not come within RETRY is given up, and a refusal asks again.
                return;
            }
            Duration wait = status == Reachability.Status.UNKNOWN ? RETRY : RECHECK;
            if (everAsked && now - askedAtNanos < wait.toNanos()) {
                return;
            }
            self = transport.localAddress();
            everAsked = true;
            askedAtNanos = now;
            nonce = random.nextLong() | 1;
            askedOf = peer;
            request = new RelayFrames.ReachRequest(nonce, self.host(), self.port());
        }
        NettyTransport.LOG.log(DEBUG, "asking " + peer + " to dial back " + self);
        channel.writeAndFlush(request.frame());
        long asked = request.nonce();
        transport.eventLoops().schedule(() -> giveUp(asked), RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The question {@code asked} got no answer in time (the answer or the connection was lost): ask again. */
    private void giveUp(long asked) {
        synchronized (this) {
            if (nonce != asked) {
                return;
            }
            nonce = 0;
            askedOf = null;
            askedAtNanos = System.nanoTime() - RECHECK.toNanos();
        }
        askAgainLater("no answer within " + RETRY.toSeconds() + " s");
    }

    /**
     * A question was refused or went unanswered, which says nothing about this node: ask again after a wait
     * that doubles with each such question, up to {@link #RETRY}, at most {@link #MAX_ASKS_IN_A_ROW} times in
     * a row. Without this a node refused before its joining was applied would never learn its reachability.
     */
    private void askAgainLater(String why) {
        long delayMillis;
        synchronized (this) {
            if (askAgainScheduled || unansweredInARow >= MAX_ASKS_IN_A_ROW) {
                return;
            }
            delayMillis = Math.min(ASK_AGAIN_AFTER.toMillis() << Math.min(unansweredInARow, 16), RETRY.toMillis());
            unansweredInARow++;
            askAgainScheduled = true;
        }
        NettyTransport.LOG.log(DEBUG, "asking for a dial-back again in " + delayMillis + " ms: " + why);
        transport.eventLoops().schedule(() -> {
            synchronized (this) {
                askAgainScheduled = false;
            }
            recheck();
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    void onResult(PeerId from, RelayFrames.ReachResult result) {
        Reachability.Status was;
        Reachability.Status now;
        boolean refused = false;
        synchronized (this) {
            if (result.nonce() != nonce || !from.equals(askedOf)) {
                return;
            }
            nonce = 0;
            askedOf = null;
            was = status;
            if (result.dialled()) {
                status = Reachability.Status.DIALABLE;
                detail = from.shortText() + " dialled " + transport.localAddress() + " back";
            } else if (result.reason().startsWith(REFUSED)) {
                // The peer would not dial back, e.g. it has not yet applied this node's joining: ask again soon.
                detail = from.shortText() + " would not dial back: " + result.reason();
                askedAtNanos = System.nanoTime() - RECHECK.toNanos();
                refused = true;
            } else {
                status = Reachability.Status.NOT_DIALABLE;
                detail = from.shortText() + " could not dial " + transport.localAddress() + ": " + result.reason();
            }
            now = status;
            if (!refused) {
                unansweredInARow = 0;
            }
        }
        if (refused) {
            askAgainLater(result.reason());
        }
        if (was != now) {
            NettyTransport.LOG.log(now == Reachability.Status.DIALABLE ? INFO : System.Logger.Level.WARNING,
                    now == Reachability.Status.DIALABLE ? "other peers can dial this node: " + detail()
                            : "other peers cannot dial this node, it will be reached through relays: " + detail());
            transport.dialBackChanged();
        }
    }

    // ---------------------------------------------------------------- dialling back

    /** How an answer that is a refusal starts, so that the asker does not take it for a failed dial. */
    static final String REFUSED = "refused: ";

    void onRequest(PeerId from, Channel channel, RelayFrames.ReachRequest request) {
        String refusal = admit(from);
        if (refusal != null) {
            channel.writeAndFlush(new RelayFrames.ReachResult(request.nonce(), false, REFUSED + refusal).frame());
            return;
        }
        Promise<String> outcome = dial(request.host(), request.port(), from);
        outcome.addListener(done -> {
            synchronized (this) {
                dialsInProgress--;
            }
            String failure = outcome.getNow();
            channel.writeAndFlush(new RelayFrames.ReachResult(request.nonce(), failure == null,
                    failure == null ? "" : failure).frame());
        });
    }

    private synchronized String admit(PeerId from) {
        if (!transport.relaying().shareGroup(from, from)) {
            return "not a member of a group of this node";
        }
        long now = System.nanoTime();
        Long last = askedByPeer.get(from);
        if (last != null && now - last < RETRY.toNanos()) {
            return "asked again within " + RETRY.toSeconds() + " s";
        }
        if (dialsInProgress >= MAX_DIALS_IN_PROGRESS) {
            return "already " + MAX_DIALS_IN_PROGRESS + " dial-backs in progress";
        }
        askedByPeer.put(from, now);
        dialsInProgress++;
        return null;
    }

    /** Completes with null when {@code expected} answered at host:port and proved its key, else with the reason. */
    private Promise<String> dial(String host, int port, PeerId expected) {
        Promise<String> outcome = transport.eventLoops().next().newPromise();
        new Bootstrap()
                .group(transport.eventLoops())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, transport.connectTimeoutMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        SslHandler tls = transport.clientTls().newHandler(channel.alloc(), SERVER_NAME, port);
                        tls.setHandshakeTimeoutMillis(transport.connectTimeoutMillis());
                        channel.pipeline().addLast(tls, new ProvesKey(expected, outcome));
                    }
                })
                .connect(host, port)
                .addListener((ChannelFuture connected) -> {
                    if (!connected.isSuccess()) {
                        outcome.trySuccess(NettyTransport.reason(connected.cause()));
                    } else {
                        connected.channel().closeFuture().addListener(closed ->
                                outcome.trySuccess("connection closed during the TLS handshake"));
                    }
                });
        return outcome;
    }

    /** Ends a dial-back once TLS says who answered. */
    private static final class ProvesKey extends ChannelInboundHandlerAdapter {
        private final PeerId expected;
        private final Promise<String> outcome;

        ProvesKey(PeerId expected, Promise<String> outcome) {
            this.expected = expected;
            this.outcome = outcome;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent handshake) {
                outcome.trySuccess(handshake.isSuccess() ? provenOtherwise(ctx) : NettyTransport.reason(handshake.cause()));
                ctx.close();
            }
        }

        private String provenOtherwise(ChannelHandlerContext ctx) {
            try {
                X509Certificate certificate = (X509Certificate) ctx.pipeline().get(SslHandler.class).engine()
                        .getSession().getPeerCertificates()[0];
                PeerId proven = PeerCertificates.peerId(certificate);
                return proven.equals(expected) ? null : "the key of " + proven + " answered there";
            } catch (Exception e) {
                return "no usable certificate: " + e.getMessage();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            outcome.trySuccess(NettyTransport.reason(cause));
            ctx.close();
        }
    }
}
