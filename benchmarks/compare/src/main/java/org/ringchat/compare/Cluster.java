package org.ringchat.compare;

import java.util.Map;

/** A group of members of one system, all in this JVM, formed and ready to broadcast. */
interface Cluster extends AutoCloseable {

    /** Told of every delivery of a broadcast at a member other than its sender. */
    interface Sink {
        void delivered(int member, long seq);
    }

    /**
     * Broadcasts {@code payloadBytes} bytes from member {@code sender}; the sink must hear {@code seq} back
     * from every other member. May block while the system's own flow control holds the sender back.
     */
    void broadcast(int sender, long seq, int payloadBytes) throws Exception;

    /** Seconds from the first invitation (or join) until every member knew every other. */
    double formSeconds();

    /** TLS handshakes completed while the group formed, both ends counted; 0 for a system without TLS. */
    long formHandshakes();

    /** Counters the system keeps of its own traffic (frames by type), cumulative; empty if none. */
    Map<String, Long> counters();

    /** Closes every member; waits until they are down. */
    @Override
    void close();
}
