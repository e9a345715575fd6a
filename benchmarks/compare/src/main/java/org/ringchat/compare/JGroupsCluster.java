package org.ringchat.compare;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.protocols.Bundler;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG2;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.PerDestinationBundler;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;

/**
 * N JGroups channels in one cluster over TCP on loopback, with a stack built in code: TCP with the
 * per-destination bundler (the default bundler collapses at payloads of 200 bytes and less), TCPPING,
 * MERGE3, FD_SOCK2, FD_ALL3, VERIFY_SUSPECT2, [SYM_ENCRYPT,] NAKACK2, UNICAST3, STABLE, GMS, MFC, UFC,
 * FRAG2. A member has delivered a message when its receiver got it, alone or in a batch.
 */
final class JGroupsCluster implements Cluster {

    private static final long FORM_TIMEOUT_MILLIS = 120_000;

    private final List<JChannel> channels = new ArrayList<>();
    private final int members;
    private final String cluster;
    /** Members join one by one as they start: forming is all of it. */
    private final double formSeconds;

    /**
     * The per-destination bundler, which in 5.4.8 keeps a thread per destination that nothing stops once
     * the destination left, and starts new ones for what a member still sends while it shuts down; the
     * whole stack stays reachable from them. After a cell, where every member leaves, that is 18 threads
     * and 3-30 MB a member, more than a run of many cells can afford. This one stops the threads of
     * members that left, and sends nothing once stopped; {@link #close} stops it once more at the end.
     */
    static final class StoppingBundler extends PerDestinationBundler {
        private volatile boolean stopped;

        @Override
        public void viewChange(View view) {
            List<SendBuffer> before = new ArrayList<>(dests.values());
            super.viewChange(view);
            before.stream().filter(b -> !dests.containsValue(b)).forEach(SendBuffer::stop);
        }

        @Override
        public void send(Message msg) throws Exception {
            if (!stopped) {
                super.send(msg);
            }
        }

        @Override
        public void stop() {
            stopped = true;
            super.stop();
        }

        /**
         * Stops what bundler threads of a cluster are left, found by name (they carry the cluster's): some
         * queues are dropped without a stop in a way this bundler does not see. Needs
         * {@code --add-opens java.base/java.lang=ALL-UNNAMED} to reach a thread's task.
         */
        static void stopThreadsOf(String cluster) {
            try {
                Field task = Thread.class.getDeclaredField("target");
                task.setAccessible(true);
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (t.getName().startsWith("pd-bundler") && t.getName().contains("," + cluster + ",")
                            && task.get(t) instanceof SendBuffer buffer) {
                        buffer.stop();
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                System.err.println("cannot stop JGroups' leftover bundler threads: " + e);
            }
        }
    }

    /**
     * @param encrypt  whether to add SYM_ENCRYPT, with one AES key shared by all members
     * @param basePort the first port tried; members take the next free ones
     */
    JGroupsCluster(int members, Sink sink, boolean encrypt, int basePort) throws Exception {
        this.members = members;
        SecretKey key = encrypt ? aesKey() : null;
        this.cluster = "bench-" + (encrypt ? "enc-" : "") + members + "-" + System.nanoTime();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < members; i++) {
                JChannel channel = new JChannel(stack(members, key, basePort)).name("m" + i);
                channel.setDiscardOwnMessages(true);
                int member = i;
                channel.setReceiver(new Receiver() {
                    @Override
                    public void receive(Message msg) {
                        sink.delivered(member, Payloads.seqOf(msg.getArray(), msg.getOffset()));
                    }

                    @Override
                    public void receive(MessageBatch batch) {
                        for (Message msg : batch) {
                            sink.delivered(member, Payloads.seqOf(msg.getArray(), msg.getOffset()));
                        }
                    }
                });
                channels.add(channel);
                channel.connect(cluster);
            }
            awaitView();
            formSeconds = (System.nanoTime() - start) / 1e9;
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    @Override
    public double formSeconds() {
        return formSeconds;
    }

    @Override
    public long formHandshakes() {
        return 0;
    }

    /** The algorithm SYM_ENCRYPT uses by default, for the report. */
    static String encryptionAlgorithm() {
        return new SYM_ENCRYPT().symAlgorithm();
    }

    private static SecretKey aesKey() throws Exception {
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(128);
        return generator.generateKey();
    }

    private static Protocol[] stack(int members, SecretKey key, int basePort) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<InetSocketAddress> hosts = new ArrayList<>();
        for (int p = basePort; p < basePort + members + 5; p++) {
            hosts.add(new InetSocketAddress(loopback, p));
        }
        List<Protocol> stack = new ArrayList<>(List.of(
                new TCP().setBindAddress(loopback).setBindPort(basePort).setPortRange(members + 5)
                        .setBundler(new StoppingBundler()),
                new TCPPING().setInitialHosts(hosts).setPortRange(0),
                new MERGE3(), new FD_SOCK2(), new FD_ALL3(), new VERIFY_SUSPECT2()));
        if (key != null) {
            stack.add(new SYM_ENCRYPT().setSecretKey(key));
        }
        stack.addAll(List.of(new NAKACK2(), new UNICAST3(), new STABLE(),
                new GMS().setJoinTimeout(1000).printLocalAddress(false), new MFC(), new UFC(), new FRAG2()));
        return stack.toArray(Protocol[]::new);
    }

    private void awaitView() throws InterruptedException {
        long deadline = System.currentTimeMillis() + FORM_TIMEOUT_MILLIS;
        for (JChannel channel : channels) {
            while (channel.getView() == null || channel.getView().size() < members) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the cluster did not form within " + FORM_TIMEOUT_MILLIS + " ms");
                }
                Thread.sleep(20);
            }
        }
    }

    @Override
    public void broadcast(int sender, long seq, int payloadBytes) throws Exception {
        channels.get(sender).send(new BytesMessage(null, Payloads.bytes(seq, payloadBytes)));
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of();
    }

    @Override
    public void close() {
        // Side by side: one by one, 50 members take a minute to leave.
        List<Bundler> bundlers = channels.stream().map(c -> c.getProtocolStack().getTransport().getBundler()).toList();
        Parallel.forEach(channels, JChannel::close);
        // Again once all are closed: a send under way while its member stopped may have started a thread.
        bundlers.forEach(Bundler::stop);
        StoppingBundler.stopThreadsOf(cluster);
        channels.clear();
    }
}
