package org.ringchat.transport.netty.internal;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.ssl.SslHandler;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;

/**
 * This node's ends of relayed circuits. Each end is an in-memory channel pair: one side carries the usual
 * pipeline of a connection — TLS 1.3 pinned to the other end's key, frames, {@link PeerChannelHandler} — and
 * becomes the transport's connection to that peer; the other side, the pump, passes the TLS bytes to and
 * from the relay in CIRCUIT_DATA frames. The relay thus sees ciphertext only. Thread-safe.
 */
final class Circuits {

    /** CIRCUIT_DATA carries at most one TLS record's worth of bytes. */
    static final int MAX_DATA_BYTES = 16 * 1024 + 512;

    private record Key(PeerId relay, int circuit) {
    }

    /** One end: the relay, the connection to it, and, once both ends agreed, the pump. */
    private static final class End {
        final PeerId relay;
        final int circuit;
        /** The connection we open, or null when the other end opened the circuit. */
        final NettyTransport.Dial dial;
        /** Set once the relay answered. */
        volatile Channel relayChannel;
        /** Set once both ends agreed. */
        volatile Channel pump;

        End(PeerId relay, int circuit, NettyTransport.Dial dial, Channel relayChannel) {
            this.relay = relay;
            this.circuit = circuit;
            this.dial = dial;
            this.relayChannel = relayChannel;
        }

        Key key() {
            return new Key(relay, circuit);
        }
    }

    private final NettyTransport transport;
    private final Map<Key, End> ends = new ConcurrentHashMap<>();

    Circuits(NettyTransport transport) {
        this.transport = transport;
    }

    boolean owns(PeerId from, int circuit) {
        return ends.containsKey(new Key(from, circuit));
    }

    /** Opens the connection of {@code dial} as a circuit through {@code relay}. */
    void open(NettyTransport.Dial dial, PeerAddress relay) {
        End end = new End(relay.peerId(), transport.newCircuitId(relay.peerId()), dial, null);
        ends.put(end.key(), end);
        NettyTransport.LOG.log(DEBUG, "opening a circuit to " + dial.address.peerId() + " through " + relay);
        transport.sendControl(relay, new RelayFrames.CircuitPeer(RelayFrames.CIRCUIT_OPEN, end.circuit,
                dial.address.peerId()).frame()).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        fail(end, "cannot reach relay " + relay.peerId().shortText() + ": " + failure.getMessage());
                    }
                });
        transport.eventLoops().schedule(() -> {
            if (end.pump == null) {
                fail(end, "relay " + relay.peerId().shortText() + " did not open the circuit in time");
            }
        }, transport.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    /** The relay and the other end agreed: start TLS as its client. */
    void onAccept(PeerId from, Channel channel, RelayFrames.CircuitSignal accept) {
        End end = ends.get(new Key(from, accept.circuit()));
        if (end == null || end.dial == null || end.relayChannel != null) {
            return;
        }
        end.relayChannel = channel;
        PeerAddress to = end.dial.address;
        startPair(end, tlsChannel -> transport.clientTls().newHandler(tlsChannel.alloc(), to.host(), to.port()),
                PeerChannelHandler.outbound(transport, end.dial), () -> { });
    }

    /** A relay has a circuit from a member for this node: start TLS as its server, then accept. */
    void onIncoming(PeerId from, Channel channel, RelayFrames.CircuitPeer incoming) {
        PeerId source = incoming.peer();
        String refusal = null;
        if (!transport.relaying().shareGroup(source, source)) {
            refusal = source.shortText() + " is not a member of a group of this node";
        } else if (ends.size() >= transport.relaySettings().maxCircuits()) {
            refusal = "already " + transport.relaySettings().maxCircuits() + " circuits end here";
        } else if (ends.containsKey(new Key(from, incoming.circuit()))) {
            refusal = "circuit " + incoming.circuit() + " is already open";
        }
        if (refusal != null) {
            NettyTransport.LOG.log(INFO, "refused a circuit from " + source + " through " + from + ": " + refusal);
            channel.writeAndFlush(close(incoming.circuit(), refusal));
            return;
        }
        End end = new End(from, incoming.circuit(), null, channel);
        ends.put(end.key(), end);
        startPair(end, tlsChannel -> transport.serverTls().newHandler(tlsChannel.alloc()),
                PeerChannelHandler.relayed(transport, source),
                () -> channel.writeAndFlush(new RelayFrames.CircuitSignal(RelayFrames.CIRCUIT_ACCEPT, end.circuit, "").frame()));
    }

    void onData(PeerId from, RelayFrames.CircuitData data) {
        End end = ends.get(new Key(from, data.circuit()));
        if (end != null && end.pump != null) {
            end.pump.writeAndFlush(Unpooled.wrappedBuffer(data.bytes()));
        }
    }

    void onClose(PeerId from, RelayFrames.CircuitSignal close) {
        End end = ends.remove(new Key(from, close.circuit()));
        if (end != null) {
            NettyTransport.LOG.log(DEBUG, "relay " + from + " closed circuit " + close.circuit() + ": " + close.reason());
            end(end, "relay " + from.shortText() + ": " + close.reason());
        }
    }

    /** The connection to a relay closed: so did the circuits through it. */
    void connectionClosed(PeerId peer, Channel channel) {
        for (End end : List.copyOf(ends.values())) {
            if (end.relay.equals(peer) && end.relayChannel == channel && ends.remove(end.key(), end)) {
                end(end, "the connection to relay " + peer.shortText() + " closed");
            }
        }
    }

    /** A circuit failed here: the relay is told, when it can be. */
    private void fail(End end, String reason) {
        if (ends.remove(end.key(), end)) {
            Channel relay = end.relayChannel;
            if (relay != null) {
                relay.writeAndFlush(close(end.circuit, reason));
            }
            end(end, reason);
        }
    }

    /** Ends a circuit that was removed: its TLS connection closes, or its dial fails. */
    private void end(End end, String reason) {
        Channel pump = end.pump;
        if (pump != null) {
            pump.close();
        } else if (end.dial != null) {
            transport.dialFailed(end.dial, reason);
        }
    }

    /**
     * Connects the in-memory pair: the TLS side gets a connection's pipeline, the pump side passes bytes to
     * the relay. {@code paired} runs once bytes can flow.
     */
    private void startPair(End end, Function<Channel, SslHandler> tls, PeerChannelHandler handler, Runnable paired) {
        new ServerBootstrap()
                .group(transport.circuitLoops())
                .channel(LocalServerChannel.class)
                // A circuit holds as much for a slow peer as a TCP connection does.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, transport.writeBufferWaterMark())
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel channel) {
                        transport.initPipeline(channel, tls.apply(channel), handler);
                    }
                })
                .bind(LocalAddress.ANY)
                .addListener((ChannelFuture bound) -> {
                    if (!bound.isSuccess()) {
                        fail(end, "cannot set up the circuit: " + NettyTransport.reason(bound.cause()));
                        return;
                    }
                    new Bootstrap()
                            .group(transport.circuitLoops())
                            .channel(LocalChannel.class)
                            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, transport.writeBufferWaterMark())
                            .handler(new Pump(end))
                            .connect(bound.channel().localAddress())
                            .addListener((ChannelFuture connected) -> {
                                bound.channel().close();
                                if (!connected.isSuccess()) {
                                    fail(end, "cannot set up the circuit: " + NettyTransport.reason(connected.cause()));
                                    return;
                                }
                                if (!ends.containsKey(end.key())) {
                                    connected.channel().close(); // closed while it was being set up
                                    return;
                                }
                                paired.run();
                            });
                });
    }

    /** Passes what the TLS side writes to the relay, and tells the relay when the circuit ends here. */
    private final class Pump extends ChannelInboundHandlerAdapter {
        private final End end;

        Pump(End end) {
            this.end = end;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            // Set before the pair connects: the TLS side may write its first bytes at once.
            end.pump = ctx.channel();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ByteBuf bytes = (ByteBuf) message;
            try {
                Channel relay = end.relayChannel;
                while (bytes.isReadable()) {
                    byte[] piece = ByteBufUtil.getBytes(bytes, bytes.readerIndex(), Math.min(bytes.readableBytes(), MAX_DATA_BYTES));
                    bytes.skipBytes(piece.length);
                    relay.write(new RelayFrames.CircuitData(end.circuit, piece).frame());
                }
                relay.flush();
            } finally {
                bytes.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ends.remove(end.key(), end)) {
                end.relayChannel.writeAndFlush(close(end.circuit, "the connection ended"));
            }
        }
    }

    private static Frame close(int circuit, String reason) {
        return new RelayFrames.CircuitSignal(RelayFrames.CIRCUIT_CLOSE, circuit, reason).frame();
    }
}
