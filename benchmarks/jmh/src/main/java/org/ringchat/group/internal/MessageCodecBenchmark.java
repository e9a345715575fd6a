package org.ringchat.group.internal;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;
import org.ringchat.jmh.Scratch;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.state.log.OpHash;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/**
 * What a member does with one chat message besides the network and the store: the author signs it, every
 * hand-off encodes a CHAT frame, every receiver decodes the frame and the message and checks the
 * signature, and encodes the status record it appends to the message log. The message names two parents and one state head, as in a
 * busy group. In the group's package, whose classes these are.
 *
 * <p>Batch signatures (scheme 2) beside: the author signing 64 such messages at once, and a receiver
 * checking one of a batch it has verified already (what 63 of a batch's 64 messages cost), decoded as it comes, or not.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MessageCodecBenchmark {

    @Param({"100", "1024", "16384"})
    int textBytes;

    private Scratch scratch;
    private NodeIdentity identity;
    private GroupId group;
    private List<MessageId> parents;
    private List<OpHash> stateHeads;
    private String text;
    private SignedMessage message;
    private BroadcastFrames.Header header;
    private byte[] payload;
    private byte[] chatBody;
    private MessageRecord record;
    private List<SignedMessage.Draft> drafts;
    private List<SignedMessage> batch;
    private List<byte[]> batchBytes;
    private MessageVerifier verifier;
    private int next;

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        scratch = new Scratch();
        identity = scratch.identity();
        group = GroupId.random(random);
        parents = List.of(MessageId.random(random), MessageId.random(random));
        byte[] head = new byte[OpHash.LENGTH];
        random.nextBytes(head);
        stateHeads = List.of(OpHash.fromBytes(head));
        text = "x".repeat(textBytes);
        message = SignedMessage.create(identity, group, parents, Instant.now(), stateHeads, text);
        WireWriter w = new WireWriter();
        message.write(w);
        payload = w.toByteArray();
        header = new BroadcastFrames.Header(group, message.id, "ring", PeerId.fromPublicKey(identity.publicKey()));
        chatBody = new BroadcastFrames.Chat(1L, 1L, header, payload).encode();
        record = new MessageRecord(group, message, Delivery.Status.RECEIVED, 0, 10);
        drafts = new ArrayList<>();
        for (int i = 0; i < SignedMessage.MAX_BATCH; i++) {
            drafts.add(new SignedMessage.Draft(group, MessageId.random(random), parents, Instant.now(), stateHeads,
                    text));
        }
        batch = SignedMessage.signBatch(identity, drafts);
        batchBytes = new ArrayList<>();
        for (SignedMessage m : batch) {
            WireWriter bytes = new WireWriter();
            m.write(bytes);
            batchBytes.add(bytes.toByteArray());
        }
        verifier = new MessageVerifier(identity, 1024);
        verifier.verify(batch.get(0));
    }

    @TearDown
    public void tearDown() {
        scratch.close();
    }

    /** The author: encode and sign a new message. */
    @Benchmark
    public SignedMessage authorSigns() {
        return SignedMessage.create(identity, group, parents, Instant.now(), stateHeads, text);
    }

    /** Every hand-off: a CHAT frame body with the route for its target. */
    @Benchmark
    public byte[] encodeChat() {
        return new BroadcastFrames.Chat(1L, 1L, header, payload).encode();
    }

    /** Every receiver: the CHAT frame and the message in it. */
    @Benchmark
    public SignedMessage decodeChat() {
        BroadcastFrames.Chat chat = BroadcastFrames.Chat.decode(chatBody);
        WireReader r = new WireReader(chat.payload());
        SignedMessage decoded = SignedMessage.read(r);
        r.expectEnd();
        return decoded;
    }

    /**
     * Every receiver: is the message's ID the one its author and content make? Decoded anew: a message
     * remembers the answer.
     */
    @Benchmark
    public boolean checkBoundId() {
        return SignedMessage.decode(payload).hasBoundId();
    }

    /** Every receiver: the author's signature. */
    @Benchmark
    public boolean verify() {
        return message.hasValidSignature(identity);
    }

    /** The author of a full batch ({@value SignedMessage#MAX_BATCH} messages): one signature over their Merkle root. */
    @Benchmark
    public List<SignedMessage> authorSignsFullBatch() {
        return SignedMessage.signBatch(identity, drafts);
    }

    /**
     * Every receiver, for a batch-signed message whose batch it verified before, decoded as it comes (a
     * message found good once says so itself): decoding it, checking its ID, its leaf, its way up to the
     * batch's tree. Both checks, as every member makes them: in scheme 3 they share one hash of the content.
     */
    @Benchmark
    public boolean verifyBatchedCached() {
        next = (next + 1) % batchBytes.size();
        WireReader r = new WireReader(batchBytes.get(next));
        SignedMessage message = SignedMessage.read(r);
        return message.hasBoundId() & verifier.verify(message);
    }

    /** Every receiver, for the first message of a batch: leaf, path and Ed25519 over the root. */
    @Benchmark
    public boolean verifyBatchedUncached() {
        return batch.get(7).hasValidSignature(identity);
    }

    /** Every receiver, at every change of the message's delivery: the status record (the message is not written again). */
    @Benchmark
    public byte[] encodeStatus() {
        return record.encodeStatus();
    }
}
