package org.ringchat.group.internal;

import static org.ringchat.group.internal.BatchSignatureTest.authAt;
import static org.ringchat.group.internal.BatchSignatureTest.decode;
import static org.ringchat.group.internal.BatchSignatureTest.encode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ringchat.spi.NodeIdentity;
import org.ringchat.wire.WireWriter;

/**
 * Signs batches as earlier versions did (scheme 2: leaves over the messages' contents, at most 64 a batch),
 * written here from PROTOCOL.md, for the tests of what this version still reads: messages of earlier
 * versions' members, and stores.
 */
final class ContentBatches {

    private ContentBatches() {
    }

    /** The drafts as one batch of scheme 2, as deep as it needs. */
    static List<SignedMessage> sign(NodeIdentity author, List<SignedMessage.Draft> drafts) {
        List<byte[]> contents = new ArrayList<>();
        List<byte[]> leaves = new ArrayList<>();
        for (SignedMessage.Draft draft : drafts) {
            SignedMessage alone = SignedMessage.signBatch(author, List.of(draft)).get(0);
            byte[] content = Arrays.copyOf(encode(alone), authAt(alone));
            contents.add(content);
            leaves.add(MerkleTree.leaf("ringchat/message/2".getBytes(StandardCharsets.US_ASCII), content));
        }
        int depth = MerkleTree.depthFor(drafts.size());
        MerkleTree tree = new MerkleTree(leaves, depth);
        byte[] signature = author.sign(new WireWriter().bytes("ringchat/batch/1".getBytes(StandardCharsets.US_ASCII))
                .u8(depth).bytes(tree.root()).toByteArray());
        List<SignedMessage> messages = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            WireWriter w = new WireWriter().bytes(contents.get(i)).u8(SignedMessage.SCHEME_BATCH_OF_CONTENTS)
                    .u8(depth).u16(i);
            for (byte[] sibling : tree.path(i)) {
                w.bytes(sibling);
            }
            messages.add(decode(w.bytes(signature).toByteArray()));
        }
        return messages;
    }
}
