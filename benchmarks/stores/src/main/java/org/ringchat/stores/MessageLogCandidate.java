package org.ringchat.stores;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.state.messages.MessageLog;
import org.ringchat.state.messages.StoredMessage;

/** ringchat's own log (org.ringchat.state.messages): segment files, CRC32C per record, group commit. */
final class MessageLogCandidate implements Candidate {

    private final MessageLog log;
    private final List<GroupId> groups = new ArrayList<>();

    MessageLogCandidate(Path dir, boolean fsync) {
        log = MessageLog.open(dir, new MessageLog.Settings(MessageLog.Settings.DEFAULT.segmentBytes(), fsync), damage -> {
            throw new IllegalStateException("damaged: " + damage);
        });
    }

    private GroupId group(int number) {
        while (groups.size() <= number) {
            byte[] id = new byte[GroupId.LENGTH];
            id[0] = (byte) groups.size();
            groups.add(GroupId.fromBytes(id));
        }
        return groups.get(number);
    }

    @Override
    public void append(int group, long sequence, byte[] id, byte[] message, byte[] status) {
        log.append(group(group), MessageId.fromBytes(id), message, status);
    }

    @Override
    public void updateStatus(int group, long sequence, byte[] status) {
        log.updateStatus(group(group), sequence, status);
    }

    @Override
    public void commit() {
        log.commit();
    }

    @Override
    public List<byte[]> latest(int group, long next, int count) {
        return flatten(log.latest(group(group), count));
    }

    @Override
    public List<byte[]> after(int group, long sequence, int count) {
        return flatten(log.after(group(group), sequence, count));
    }

    private static List<byte[]> flatten(List<StoredMessage> page) {
        List<byte[]> flat = new ArrayList<>();
        page.forEach(m -> {
            flat.add(m.message());
            flat.add(m.status());
        });
        return flat;
    }

    @Override
    public void close() {
        log.close();
    }
}
