package org.ringchat.state.messages;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.RingchatException;
import org.ringchat.spi.StateStore;

/**
 * Moves the messages of earlier releases, kept in the node's store as map {@code messages/<group>} (key:
 * the sequence in hex; value: a message record of format 3 to 5), into the {@link MessageLog}, on the
 * first start of this release (docs/STORAGE.md, "Migration").
 * <p>
 * The records are appended in sequence order and the log committed before the old map is emptied, so a
 * process killed in between moves them again on the next start: messages the log holds already are
 * skipped. A record of a later format stops the node (a later release wrote it); a record that cannot
 * be read is left in the old map and named in a warning, never dropped.
 */
public final class LegacyMessages {

    /** The formats of the message records that earlier releases stored: 3 (before 0.2), 4, 5. */
    public static final int OLDEST_FORMAT = 3;
    public static final int NEWEST_FORMAT = 5;

    /** What the log keeps of an old record, as the engine reads it. */
    public record Converted(MessageId id, byte[] message, byte[] status) {
    }

    /** The engine's reader of old records (format byte first); throws IllegalArgumentException for one it cannot read. */
    @FunctionalInterface
    public interface Converter {
        Converted convert(byte[] record);
    }

    /** How a group's move went. */
    public record Result(int moved, int alreadyInTheLog, List<String> unreadableKeys) {
    }

    private static final System.Logger LOG = System.getLogger(LegacyMessages.class.getName());
    /** Messages read from the log at a time, to learn which it holds already. */
    private static final int PAGE = 1000;

    private final StateStore store;
    private final MessageLog log;
    private final Converter converter;

    public LegacyMessages(StateStore store, MessageLog log, Converter converter) {
        this.store = store;
        this.log = log;
        this.converter = converter;
    }

    /** The store's map of a group's messages in earlier releases. */
    public static String mapName(GroupId group) {
        return "messages/" + group;
    }

    /**
     * Moves a group's old messages into the log, if it has any.
     *
     * @throws RingchatException with one line naming the format, if a record is of a format this release does not read
     */
    public Result migrate(GroupId group) {
        StateStore.StoreMap old = store.map(mapName(group));
        if (old.size() == 0) {
            return new Result(0, 0, List.of());
        }
        Map<String, byte[]> records = new LinkedHashMap<>();
        old.forEach(records::put); // in key order: hex sequences of one length, so in sequence order
        // all or nothing: a later release's records stop the move before anything is moved
        records.values().forEach(record -> refuseUnknownFormat(group, record));
        Set<MessageId> inTheLog = idsInTheLog(group);
        int moved = 0;
        int present = 0;
        List<String> unreadable = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : records.entrySet()) {
            Converted converted;
            try {
                converted = converter.convert(entry.getValue());
            } catch (IllegalArgumentException e) {
                unreadable.add(entry.getKey());
                continue;
            }
            if (inTheLog.contains(converted.id())) {
                present++;
            } else {
                log.append(group, converted.id(), converted.message(), converted.status());
                moved++;
            }
        }
        log.commit();
        records.keySet().stream().filter(key -> !unreadable.contains(key)).forEach(old::remove);
        store.commit();
        LOG.log(INFO, "moved {0} messages of group {1} into the message log", moved, group);
        if (!unreadable.isEmpty()) {
            LOG.log(WARNING, "{0} stored messages of group {1} cannot be read and stay in the map {2} of {3}: {4}",
                    unreadable.size(), group, mapName(group), store, unreadable);
        }
        return new Result(moved, present, unreadable);
    }

    /** The group's messages the log holds already: those of a move cut short by a kill. */
    private Set<MessageId> idsInTheLog(GroupId group) {
        Set<MessageId> ids = new HashSet<>();
        long after = -1;
        for (List<StoredMessage> page = log.after(group, after, PAGE); !page.isEmpty(); page = log.after(group, after, PAGE)) {
            for (StoredMessage message : page) {
                ids.add(message.id());
                after = message.sequence();
            }
        }
        return ids;
    }

    private void refuseUnknownFormat(GroupId group, byte[] record) {
        // a record starting with an older or no format byte is damage, for the converter to turn down
        int format = record.length == 0 ? 0 : record[0] & 0xFF;
        if (format > NEWEST_FORMAT) {
            throw new RingchatException("the node's store " + store + " holds messages of group " + group + " in format "
                    + format + ", which this release cannot read (it reads formats " + OLDEST_FORMAT + " to "
                    + NEWEST_FORMAT + "): start the release that wrote them");
        }
    }
}
