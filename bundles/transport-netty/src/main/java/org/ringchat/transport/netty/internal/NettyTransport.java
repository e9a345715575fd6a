package org.ringchat.transport.netty.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import javax.net.ssl.SSLException;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.Reachability;
import org.ringchat.api.RingchatException;
import org.ringchat.spi.FrameReceiver;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.spi.Relaying;
import org.ringchat.spi.Transport;

/**
 * Frames over TLS 1.3 with mutual authentication by Ed25519 keys, one connection per peer in either direction.
 * See docs/PROTOCOL.md, "Transport layer".
 */
public final class NettyTransport implements Transport, AutoCloseable {

    static final System.Logger LOG = System.getLogger(NettyTransport.class.getName());

    /** Chat traffic is light; more threads would only cost memory. */
    private static final int IO_THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());
    /** Limits on what frames waiting for a connection, or for a slow peer, may hold. */
    private static final int MAX_DIALS_IN_PROGRESS = 64;
    private static final int MAX_FRAMES_PER_DIAL = 1024;
    /** A connection written without pause still flushes after this many frames. */
    private static final int MAX_FRAMES_PER_FLUSH = 64;
    /** Peers whose backoff is remembered; forgetting one only lets it be tried sooner. */
    private static final int MAX_BACKOFF_ENTRIES = 4096;
    /**
     * When both peers connected at once, the losing connection stays open this long, so that frames
     * already sent on it before both sides switched to the other one still arrive.
     */
    private static final Duration DUPLICATE_CLOSE_DELAY = Duration.ofSeconds(1);
    /** Reservations are renewed this often, which also keeps the connections to the relays from idling out. */
    private static final Duration RESERVATION_REFRESH = Duration.ofSeconds(20);

    private final NodeIdentity identity;
    private volatile TransportSettings settings;
    private volatile RelaySettings relaySettings;
    private volatile Relaying relaying = Relaying.NONE;
    private final DialBack dialBack = new DialBack(this);
    private final RelayReservations reservations = new RelayReservations(this);
    private final Relay relay = new Relay(this);
    private final Circuits circuits = new Circuits(this);
    private final AtomicInteger circuitIds = new AtomicInteger();
    private final LongAdder handshakes = new LongAdder();
    private final int writeBufferLimit;
    private final InboundLimits inboundLimits;
    private final ChannelGroup openChannels = new DefaultChannelGroup("ringchat-transport", GlobalEventExecutor.INSTANCE);
    private volatile FrameReceiver receiver;

    private final Object lock = new Object();
    private final Map<PeerId, Connection> connections = new HashMap<>();
    private final Map<PeerId, Dial> dials = new HashMap<>();
    private final Map<PeerId, Backoff> backoffs = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<PeerId, Backoff> eldest) {
            return size() > MAX_BACKOFF_ENTRIES;
        }
    };
    private boolean startCalled;
    private boolean started;
    private volatile boolean closed;

    private EventLoopGroup group;
    /** Where the in-memory ends of circuits run; network event loops cannot host them. */
    private EventLoopGroup circuitGroup;
    private SslContext serverTls;
    private SslContext clientTls;
    private Channel serverChannel;
    private volatile PeerAddress localAddress;

    public NettyTransport(NodeIdentity identity, TransportSettings settings) {
        this(identity, settings, RelaySettings.defaults());
    }

    public NettyTransport(NodeIdentity identity, TransportSettings settings, RelaySettings relaySettings) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.relaySettings = Objects.requireNonNull(relaySettings, "relaySettings");
        // A few whole frames may wait for a slow peer; more means it is not reading.
        this.writeBufferLimit = 8 * (Frame.LENGTH_FIELD + Frame.VERSION_AND_TYPE + settings.maxFrameSize());
        this.inboundLimits = new InboundLimits(settings.maxHandshakesPerAddress(), settings.maxHandshakes(),
                settings.maxConnectionsPerPeer());
    }

    /**
     * Takes new timeouts and limits while the transport runs: new connections get them, open ones keep
     * theirs. The addresses and the frame size belong to a transport for good ({@link #sameAddresses}).
     */
    public void update(TransportSettings changed) {
        if (!sameAddresses(settings, changed)) {
            throw new IllegalArgumentException("a new listen or advertised address, or frame size, needs a new transport");
        }
        settings = changed;
        inboundLimits.setLimits(changed.maxHandshakesPerAddress(), changed.maxHandshakes(),
                changed.maxConnectionsPerPeer());
    }

    /** Takes new relay limits: circuits open and to come are judged by them. */
    public void update(RelaySettings changed) {
        relaySettings = Objects.requireNonNull(changed, "relaySettings");
        reservations.refresh();
    }

    /** Whether two settings differ only in what {@link #update} can change. */
    public static boolean sameAddresses(TransportSettings a, TransportSettings b) {
        return a.listen().equals(b.listen()) && Objects.equals(a.advertise(), b.advertise())
                && a.maxFrameSize() == b.maxFrameSize();
    }

    /** An authenticated connection to a peer, and which side opened it. */
    private record Connection(Channel channel, boolean dialedByUs) {
    }

    /** A frame waiting for a connection, and the stage to complete when it is written. */
    private record QueuedFrame(Frame frame, CompletableFuture<Void> written) {
    }

    /** A connection being opened, with the frames waiting for it. Guarded by {@link #lock}. */
    static final class Dial {
        final PeerAddress address;
        final ArrayDeque<QueuedFrame> queue = new ArrayDeque<>();
        long queuedBytes;

        Dial(PeerAddress address) {
            this.address = address;
        }

        List<QueuedFrame> drain() {
            List<QueuedFrame> frames = new ArrayList<>(queue);
            queue.clear();
            queuedBytes = 0;
            return frames;
        }
    }

    /** Binds the listen address. */
    public void start() {
        synchronized (lock) {
            if (startCalled || closed) {
                throw new IllegalStateException("a transport starts only once");
            }
            startCalled = true;
        }
        SelfSignedEd25519TrustManager trust = new SelfSignedEd25519TrustManager(identity);
        TlsCrypto crypto = new TlsCrypto();
        try {
            IdentityKeyManager keys = crypto.keyManager(identity);
            Provider tls = crypto.jsse();
            serverTls = SslContextBuilder.forServer(keys)
                    .sslProvider(SslProvider.JDK)
                    .sslContextProvider(tls)
                    .protocols("TLSv1.3")
                    .clientAuth(ClientAuth.REQUIRE)
                    .trustManager(trust)
                    .build();
            clientTls = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .sslContextProvider(tls)
                    .protocols("TLSv1.3")
                    .keyManager(keys)
                    .trustManager(trust)
                    // Peers are known by key, not by host name; the key is checked after the handshake.
                    .endpointIdentificationAlgorithm(null)
                    .build();
        } catch (GeneralSecurityException | SSLException e) {
            throw new IllegalStateException("cannot set up TLS with the identity " + identity.peerId() + ": " + e.getMessage(), e);
        }
        group = new MultiThreadIoEventLoopGroup(IO_THREADS, new DefaultThreadFactory("ringchat-transport", true),
                NioIoHandler.newFactory());
        circuitGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ringchat-circuits", true),
                LocalIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, writeBufferWaterMark())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        acceptInbound(channel);
                    }
                });
        ChannelFuture bound = bootstrap.bind(settings.listen().host(), settings.listen().port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutDownEventLoops();
            throw new RingchatException("cannot listen on " + settings.listen() + ": " + reason(bound.cause()));
        }
        serverChannel = bound.channel();
        openChannels.add(serverChannel);
        InetSocketAddress boundAddress = (InetSocketAddress) serverChannel.localAddress();
        localAddress = advertisedAddress(boundAddress.getPort());
        synchronized (lock) {
            // Sends see the fields above only from here on.
            started = true;
        }
        long refresh = Math.min(RESERVATION_REFRESH.toMillis(), settings.idleTimeout().toMillis() / 3);
        group.scheduleAtFixedRate(() -> {
            // While unknown, new connections, joined groups and a few retries ask: a timer would keep idle connections open.
            if (dialBack.status() != Reachability.Status.UNKNOWN) {
                dialBack.recheck();
            }
            reservations.refresh();
        }, refresh, refresh, TimeUnit.MILLISECONDS);
        String bindNote = settings.advertise() == null ? "" : " (bound to " + settings.listen().host() + ":" + boundAddress.getPort() + ")";
        LOG.log(System.Logger.Level.INFO, "listening on " + localAddress + bindNote);
        if (settings.advertise() == null && boundAddress.getAddress().isAnyLocalAddress()) {
            LOG.log(System.Logger.Level.WARNING, "listening on all interfaces without an advertise address: "
                    + "other peers cannot reach " + localAddress + "; set advertise to an address they can reach");
        }
    }

    private PeerAddress advertisedAddress(int boundPort) {
        if (settings.advertise() == null) {
            return new PeerAddress(identity.peerId(), settings.listen().host(), boundPort);
        }
        int port = settings.advertise().port() == 0 ? boundPort : settings.advertise().port();
        return new PeerAddress(identity.peerId(), settings.advertise().host(), port);
    }

    @Override
    public PeerAddress localAddress() {
        PeerAddress address = localAddress;
        if (address == null) {
            throw new IllegalStateException("the transport has not started");
        }
        return address;
    }

    @Override
    public int maxFrameSize() {
        return settings.maxFrameSize();
    }

    @Override
    public void setReceiver(FrameReceiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public Reachability reachability() {
        return new Reachability(dialBack.status(), reservations.relays(), dialBack.detail());
    }

    /** TLS handshakes completed, on either end: what opening connections has cost (docs/BENCHMARKS.md, "Scale"). */
    public long tlsHandshakes() {
        return handshakes.sum();
    }

    void handshakeCompleted() {
        handshakes.increment();
    }

    @Override
    public void setRelaying(Relaying relaying) {
        this.relaying = relaying == null ? Relaying.NONE : relaying;
    }

    @Override
    public void useRelays(List<PeerAddress> candidates) {
        // Called as the groups change: a node that just became a member may now be dialled back.
        dialBack.groupsChanged();
        reservations.use(candidates);
    }

    @Override
    public CompletionStage<Void> send(PeerAddress to, int type, byte[] body) {
        return sendOwned(to, type, Objects.requireNonNull(body, "body").clone());
    }

    @Override
    public CompletionStage<Void> sendOwned(PeerAddress to, int type, byte[] body) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(body, "body");
        if (type < MIN_USER_TYPE || type > MAX_TYPE) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "frame type " + type + " is outside " + MIN_USER_TYPE + ".." + MAX_TYPE));
        }
        if (body.length > settings.maxFrameSize()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "frame body of " + body.length + " bytes is over the limit of " + settings.maxFrameSize() + " bytes"));
        }
        if (to.peerId().equals(identity.peerId())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("cannot send a frame to this node itself"));
        }
        return sendControl(to, new Frame(type, body));
    }

    /** Sends any frame, the transport's own included, over the peer's connection or a new one. */
    CompletableFuture<Void> sendControl(PeerAddress to, Frame frame) {
        PeerId peer = to.peerId();
        int bodyLength = frame.body().length;
        CompletableFuture<Void> written = new CompletableFuture<>();
        Connection connection;
        Dial newDial = null;
        synchronized (lock) {
            if (!started || closed) {
                return CompletableFuture.failedFuture(new RingchatException("the transport is " + (closed ? "closed" : "not started")));
            }
            connection = activeConnection(peer);
            if (connection == null) {
                Dial dial = dials.get(peer);
                if (dial == null) {
                    long now = System.nanoTime();
                    Backoff backoff = backoffs.get(peer);
                    if (backoff != null && backoff.isWaiting(now)) {
                        return CompletableFuture.failedFuture(new RingchatException("cannot connect to " + to
                                + ": last attempt failed: " + backoff.reason() + "; next attempt in " + backoff.remainingMillis(now) + " ms"));
                    }
                    if (dials.size() >= MAX_DIALS_IN_PROGRESS) {
                        return CompletableFuture.failedFuture(new RingchatException("cannot connect to " + to + ": already "
                                + MAX_DIALS_IN_PROGRESS + " connections are being opened"));
                    }
                    dial = newDial = new Dial(to);
                    dials.put(peer, dial);
                }
                if (dial.queue.size() >= MAX_FRAMES_PER_DIAL || dial.queuedBytes + bodyLength > writeBufferLimit) {
                    return CompletableFuture.failedFuture(new RingchatException("cannot send to " + to
                            + ": too many frames are waiting for the connection to open"));
                }
                dial.queue.add(new QueuedFrame(frame, written));
                dial.queuedBytes += bodyLength;
            }
        }
        if (connection != null) {
            write(connection.channel(), peer, frame, written);
        } else if (newDial != null) {
            connect(newDial);
        }
        return written;
    }

    /** The connection to use for a peer, dropping one that has closed but was not removed yet. */
    private Connection activeConnection(PeerId peer) {
        Connection connection = connections.get(peer);
        if (connection != null && !connection.channel().isActive()) {
            connections.remove(peer);
            return null;
        }
        return connection;
    }

    private void write(Channel channel, PeerId peer, Frame frame, CompletableFuture<Void> written) {
        if (!channel.isWritable()) {
            written.completeExceptionally(new RingchatException("cannot send to " + peer
                    + ": it does not read fast enough, over " + writeBufferLimit + " bytes are waiting for it"));
            return;
        }
        channel.writeAndFlush(frame).addListener(future -> {
            if (future.isSuccess()) {
                written.complete(null);
            } else {
                written.completeExceptionally(new RingchatException("cannot send to " + peer + ": " + reason(future.cause())));
            }
        });
    }

    private void connect(Dial dial) {
        PeerAddress to = dial.address;
        List<PeerAddress> relays = relaying.relaysOf(to.peerId());
        if (!relays.isEmpty()) {
            circuits.open(dial, relays.stream().filter(r -> hasConnection(r.peerId())).findFirst().orElse(relays.get(0)));
            return;
        }
        new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, writeBufferWaterMark())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        initPipeline(channel, clientTls.newHandler(channel.alloc(), to.host(), to.port()), PeerChannelHandler.outbound(NettyTransport.this, dial));
                    }
                })
                .connect(to.host(), to.port())
                .addListener((ChannelFuture future) -> {
                    if (!future.isSuccess()) {
                        dialFailed(dial, reason(future.cause()));
                    }
                });
    }

    private void acceptInbound(SocketChannel channel) {
        InetSocketAddress remote = channel.remoteAddress();
        if (remote == null) {
            channel.close();
            return;
        }
        InboundLimits.Refusal refusal = inboundLimits.startHandshake(remote.getAddress());
        if (refusal != null) {
            logRefusal("connection from " + remote, refusal);
            channel.close();
            return;
        }
        SslHandler tls = serverTls.newHandler(channel.alloc());
        initPipeline(channel, tls, PeerChannelHandler.inbound(this, remote.getAddress(), DialBackName.watch(tls.engine())));
    }

    /** One warning line per flood: while the same source keeps being refused, further refusals are not news. */
    static void logRefusal(String connection, InboundLimits.Refusal refusal) {
        LOG.log(refusal.news() ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                "rejected " + connection + ": " + refusal.reason());
    }

    void initPipeline(Channel channel, SslHandler tls, PeerChannelHandler handler) {
        openChannels.add(channel);
        tls.setHandshakeTimeoutMillis(settings.connectTimeout().toMillis());
        // Frames are written from the engine threads one at a time; consolidating their flushes lets TLS
        // seal the frames queued meanwhile into one record and one write to the socket.
        channel.pipeline().addLast(tls, new FlushConsolidationHandler(MAX_FRAMES_PER_FLUSH, true),
                new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS),
                new FrameDecoder(settings.maxFrameSize()), FrameEncoder.INSTANCE, handler);
    }

    // Called by the channel handlers, on the channel's event loop.

    PeerId self() {
        return identity.peerId();
    }

    boolean isClosed() {
        return closed;
    }

    InboundLimits inboundLimits() {
        return inboundLimits;
    }

    EventLoopGroup eventLoops() {
        return group;
    }

    WriteBufferWaterMark writeBufferWaterMark() {
        return new WriteBufferWaterMark(writeBufferLimit / 2, writeBufferLimit);
    }

    EventLoopGroup circuitLoops() {
        return circuitGroup;
    }

    SslContext clientTls() {
        return clientTls;
    }

    SslContext serverTls() {
        return serverTls;
    }

    int connectTimeoutMillis() {
        return (int) settings.connectTimeout().toMillis();
    }

    Relaying relaying() {
        return relaying;
    }

    RelaySettings relaySettings() {
        return relaySettings;
    }

    Reachability.Status dialBackStatus() {
        return dialBack.status();
    }

    /**
     * A circuit number for a connection to {@code peer}: unique at this node, and with the top bit telling which
     * of the two peers chose it, so that theirs never collide.
     */
    int newCircuitId(PeerId peer) {
        int sequence = circuitIds.incrementAndGet() & Integer.MAX_VALUE;
        return identity.peerId().compareTo(peer) < 0 ? sequence | Integer.MIN_VALUE : sequence;
    }

    private boolean hasConnection(PeerId peer) {
        synchronized (lock) {
            return activeConnection(peer) != null;
        }
    }

    /** What a dial-back found changed: reserve at relays, or give them up, and tell the layer above. */
    void dialBackChanged() {
        reservations.refresh();
        reachabilityChanged();
    }

    void reachabilityChanged() {
        relaying.reachabilityChanged(reachability());
    }

    /** A connection proved the key of {@code peer}: make it the peer's connection and send what waited for it. */
    void authenticated(Channel channel, PeerId peer, Dial dial) {
        Connection fresh = new Connection(channel, dial != null);
        Connection current;
        Connection loser = null;
        List<QueuedFrame> waiting = List.of();
        synchronized (lock) {
            if (closed) {
                channel.close();
                return;
            }
            Connection existing = activeConnection(peer);
            current = existing == null ? fresh : preferred(existing, fresh, peer);
            if (existing != null) {
                loser = current == fresh ? existing : fresh;
            }
            connections.put(peer, current);
            Dial pending = dials.get(peer);
            if (pending != null) {
                waiting = pending.drain();
            }
            if (dial != null) {
                dials.remove(peer, dial);
                backoffs.remove(peer);
            }
        }
        if (loser != null) {
            Channel duplicate = loser.channel();
            duplicate.eventLoop().schedule(() -> duplicate.close(), DUPLICATE_CLOSE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
        for (QueuedFrame queued : waiting) {
            write(current.channel(), peer, queued.frame(), queued.written());
        }
        if (isDirect(channel)) {
            dialBack.connected(peer, channel);
        }
    }

    /** Whether a connection is over the network, not a circuit through a relay. */
    private static boolean isDirect(Channel channel) {
        return !(channel instanceof LocalChannel);
    }

    /**
     * Which of two connections to the same peer to keep. When both sides dialed at once, both keep the one
     * dialed by the smaller peer ID; when one side dialed twice, the newer connection replaces the older.
     */
    private Connection preferred(Connection existing, Connection fresh, PeerId peer) {
        if (existing.dialedByUs() == fresh.dialedByUs()) {
            return fresh;
        }
        boolean keepOurs = identity.peerId().compareTo(peer) < 0;
        return fresh.dialedByUs() == keepOurs ? fresh : existing;
    }

    /** A connection we opened failed before it was authenticated. */
    void dialFailed(Dial dial, String reason) {
        PeerId peer = dial.address.peerId();
        Backoff backoff;
        List<QueuedFrame> failed;
        synchronized (lock) {
            if (!dials.remove(peer, dial)) {
                return;
            }
            backoff = Backoff.afterFailure(backoffs.get(peer), System.nanoTime(), reason);
            backoffs.put(peer, backoff);
            failed = dial.drain();
        }
        LOG.log(System.Logger.Level.DEBUG, "cannot connect to " + dial.address + ": " + reason);
        RingchatException error = new RingchatException("cannot connect to " + dial.address + ": " + reason
                + "; next attempt in " + backoff.delayMillis() + " ms");
        failed.forEach(queued -> queued.written().completeExceptionally(error));
    }

    void connectionClosed(Channel channel, PeerId peer) {
        synchronized (lock) {
            Connection connection = connections.get(peer);
            if (connection != null && connection.channel() == channel) {
                connections.remove(peer);
            }
        }
        if (isDirect(channel)) {
            relay.connectionClosed(peer, channel);
            circuits.connectionClosed(peer, channel);
            reservations.connectionClosed(peer, channel);
        }
    }

    void deliver(PeerId from, Frame frame, Channel channel) {
        if (frame.type() < MIN_USER_TYPE) {
            if (isDirect(channel)) {
                onTransportFrame(from, frame, channel);
            } else {
                // Circuits do not nest: a circuit's frames go to the layer above only.
                LOG.log(System.Logger.Level.DEBUG, "ignored a " + RelayFrames.name(frame.type()) + " frame relayed from " + from);
            }
            return;
        }
        FrameReceiver target = receiver;
        if (target == null) {
            return;
        }
        try {
            target.onFrame(from, frame.type(), frame.body());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "frame receiver failed on a frame of type " + frame.type() + " from " + from, e);
        }
    }

    /** Hands each of the transport's own frames to the role that owns it. */
    private void onTransportFrame(PeerId from, Frame frame, Channel channel) {
        byte[] body = frame.body();
        try {
            switch (frame.type()) {
                case RelayFrames.REACH_REQUEST -> dialBack.onRequest(from, channel, RelayFrames.ReachRequest.decode(body));
                case RelayFrames.REACH_RESULT -> dialBack.onResult(from, RelayFrames.ReachResult.decode(body));
                case RelayFrames.RESERVE -> relay.onReserve(from, channel);
                case RelayFrames.RESERVED -> reservations.onReserved(from, channel, RelayFrames.Reserved.decode(body));
                case RelayFrames.CIRCUIT_OPEN -> relay.onOpen(from, channel,
                        RelayFrames.CircuitPeer.decode(RelayFrames.CIRCUIT_OPEN, body));
                case RelayFrames.CIRCUIT_INCOMING -> circuits.onIncoming(from, channel,
                        RelayFrames.CircuitPeer.decode(RelayFrames.CIRCUIT_INCOMING, body));
                case RelayFrames.CIRCUIT_ACCEPT -> {
                    RelayFrames.CircuitSignal accept = RelayFrames.CircuitSignal.decode(frame.type(), body);
                    if (relay.owns(from, accept.circuit())) {
                        relay.onAccept(from, accept);
                    } else {
                        circuits.onAccept(from, channel, accept);
                    }
                }
                case RelayFrames.CIRCUIT_CLOSE -> {
                    RelayFrames.CircuitSignal close = RelayFrames.CircuitSignal.decode(frame.type(), body);
                    if (relay.owns(from, close.circuit())) {
                        relay.onClose(from, close);
                    } else {
                        circuits.onClose(from, close);
                    }
                }
                case RelayFrames.CIRCUIT_DATA -> {
                    RelayFrames.CircuitData data = RelayFrames.CircuitData.decode(body);
                    if (relay.owns(from, data.circuit())) {
                        relay.onData(from, data);
                    } else {
                        circuits.onData(from, data);
                    }
                }
                // Ignoring unknown ones lets later versions add some without breaking this one.
                default -> LOG.log(System.Logger.Level.DEBUG, "ignored frame of reserved type " + frame.type() + " from " + from);
            }
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "rejected malformed " + RelayFrames.name(frame.type()) + " frame from "
                    + from + ": " + e.getMessage());
        }
    }

    /** Open connections, authenticated or not; for tests. */
    int openConnections() {
        return (int) openChannels.stream().filter(channel -> channel != serverChannel).count();
    }

    /** A one-line reason for a failure, without stack trace, fit for a log line or a failed send. */
    static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof DecoderException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        if (cause instanceof NotSslRecordException) {
            return "not TLS (plaintext or garbage bytes)";
        }
        if (cause instanceof SslHandshakeTimeoutException) {
            return "TLS handshake timed out";
        }
        if (cause instanceof SSLException) {
            return "TLS failed: " + message;
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host " + message;
        }
        if (cause instanceof DecoderException && message != null) {
            return message;
        }
        if (cause instanceof ClosedChannelException) {
            return "connection closed";
        }
        if (cause instanceof IOException && message != null) {
            return message;
        }
        return message == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + message;
    }

    /** Closes every connection, fails the frames still waiting, and stops the event loops. */
    @Override
    public void close() {
        List<QueuedFrame> abandoned = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            dials.values().forEach(dial -> abandoned.addAll(dial.drain()));
            dials.clear();
            connections.clear();
        }
        RingchatException error = new RingchatException("the transport was closed");
        abandoned.forEach(queued -> queued.written().completeExceptionally(error));
        openChannels.close().awaitUninterruptibly();
        shutDownEventLoops();
    }

    private void shutDownEventLoops() {
        for (EventLoopGroup loops : new EventLoopGroup[] {group, circuitGroup}) {
            if (loops != null) {
                loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
            }
        }
    }
}
