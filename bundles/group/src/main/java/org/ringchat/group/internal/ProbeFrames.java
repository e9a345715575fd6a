package org.ringchat.group.internal;

import org.ringchat.api.PeerId;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/** Bodies of the failure detector's frames; see docs/PROTOCOL.md. */
final class ProbeFrames {

    private ProbeFrames() {
    }

    /** PROBE and PROBE_ACK: a nonce the answer repeats. */
    static byte[] nonce(long nonce) {
        return new WireWriter().i64(nonce).toByteArray();
    }

    static long nonce(byte[] body) {
        WireReader r = new WireReader(body);
        long nonce = r.i64();
        r.expectEnd();
        return nonce;
    }

    /** PROBE_REQUEST: probe {@code target} for me; answer with PROBE_ACK carrying {@code nonce}. */
    record Request(long nonce, PeerId target) {

        byte[] encode() {
            return new WireWriter().i64(nonce).bytes(target.toBytes()).toByteArray();
        }

        static Request decode(byte[] body) {
            WireReader r = new WireReader(body);
            Request request = new Request(r.i64(), PeerId.fromBytes(r.bytes(PeerId.LENGTH)));
            r.expectEnd();
            return request;
        }
    }
}
