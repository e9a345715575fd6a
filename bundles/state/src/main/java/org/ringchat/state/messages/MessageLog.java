package org.ringchat.state.messages;

import static java.lang.System.Logger.Level.WARNING;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.RingchatException;

/**
 * The messages of all of a node's groups, appended to segment files (docs/STORAGE.md). Each group's
 * messages are numbered from 0 in the order they are appended; the log finds them by group and
 * sequence, for pages of history and catch-up. Which messages a group holds is its caller's knowledge
 * (the group's graph): the log keeps no table of message IDs, and a message appended twice is held twice.
 * A delivery status is a small record of its own, so changing it rewrites nothing.
 * <p>
 * Appends and status changes are durable once {@link #commit} returns: one write for all of them, and
 * an fsync if {@link Settings#fsync}. Opening reads every record and checks its checksums: a tail that
 * was never wholly written (the process was killed in a commit) is cut, with a warning naming what
 * was lost; a damaged record elsewhere is reported ({@link #damaged}, and to the damage listener), never
 * skipped in silence, until its message is appended again.
 * <p>
 * Memory: 16 bytes a message (its two locations, with room to grow); bodies stay on disk.
 * Thread-safe; one node's engine is meant to be the only writer.
 */
public final class MessageLog implements AutoCloseable {

    /** Where in the data directory the log is. */
    public static final String DIRECTORY = "messages";

    /**
     * @param segmentBytes a segment file is closed and the next one started when it would grow beyond this
     * @param fsync        whether {@link #commit} forces what it wrote to the disk (survives power loss, not
     *                     only the process being killed)
     */
    public record Settings(long segmentBytes, boolean fsync) {

        public static final Settings DEFAULT = new Settings(64L << 20, false);

        public Settings {
            if (segmentBytes < 4096 || segmentBytes >= 1L << Segments.OFFSET_BITS) {
                throw new IllegalArgumentException("segment size out of range: " + segmentBytes);
            }
        }
    }

    private static final System.Logger LOG = System.getLogger(MessageLog.class.getName());
    private static final String DAMAGED_RECORD =
            "damaged record in the message log: {0}; its message is to be fetched again from the group''s members";

    private final Segments segments;
    private final Consumer<Damage> onDamage;
    private final Map<GroupId, GroupIndex> groups = new HashMap<>();
    private final List<GroupId> groupsByNumber = new ArrayList<>();
    /** Damage not yet settled, by message ID where the damage left it readable. */
    private final Map<Object, Damage> damaged = new LinkedHashMap<>();
    private final List<Damage> lostAtTail = new ArrayList<>();

    private MessageLog(Segments segments, Consumer<Damage> onDamage) {
        this.segments = segments;
        this.onDamage = onDamage;
    }

    /**
     * Opens the log in {@code dataDir/}{@value #DIRECTORY}, creating it if need be, and checks every record.
     *
     * @param onDamage hears of every damaged record, those found now and those found later by a read
     * @throws RingchatException naming the file, if a segment file cannot be read or is not of this format
     */
    public static MessageLog open(Path dataDir, Settings settings, Consumer<Damage> onDamage) {
        Path directory = dataDir.resolve(DIRECTORY);
        Segments segments;
        try {
            segments = Segments.open(directory, settings.segmentBytes(), settings.fsync());
        } catch (IOException | IllegalStateException e) {
            throw new RingchatException("cannot open the message log " + directory + ": " + e.getMessage(), e);
        }
        MessageLog log = new MessageLog(segments, onDamage);
        try {
            new Recovery(log).run();
        } catch (IOException | RuntimeException e) {
            try {
                segments.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e instanceof RingchatException r ? r
                    : new RingchatException("cannot read the message log " + directory + ": " + e.getMessage(), e);
        }
        log.damaged.values().forEach(onDamage);
        return log;
    }

    /**
     * Appends a message; it is durable after the next {@link #commit}, readable at once. Appending a
     * message the log reports as {@linkplain #damaged damaged} settles that damage.
     *
     * @return its sequence in the group
     */
    public synchronized long append(GroupId group, MessageId id, byte[] message, byte[] status) {
        GroupIndex index = group(group);
        long sequence = index.next();
        index.putMessage(sequence, write(Record.message(group, sequence, id, status, message)));
        if (!damaged.isEmpty()) { // almost always: no hashing on every message's way
            damaged.remove(id);
        }
        return sequence;
    }

    /**
     * Records a message's new delivery status; durable after the next {@link #commit}. The status of a message
     * whose record was found {@linkplain #damaged damaged} is not kept: the message appended again brings its own.
     */
    public synchronized void updateStatus(GroupId group, long sequence, byte[] status) {
        GroupIndex index = groups.get(group);
        if (index == null || sequence < 0 || sequence >= index.next()) {
            throw new IllegalArgumentException("no message at sequence " + sequence + " of group " + group);
        }
        if (index.messageAt(sequence) == 0) {
            return;
        }
        index.putStatus(sequence, write(Record.status(group, sequence, status)));
    }

    /** Makes every append and status change so far durable: one write, and an fsync if so set. */
    public synchronized void commit() {
        try {
            segments.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the message log: " + e.getMessage(), e);
        }
    }

    /** The last {@code count} messages of a group, oldest first: the page a history shows first. */
    public synchronized List<StoredMessage> latest(GroupId group, int count) {
        GroupIndex index = groups.get(group);
        return index == null ? List.of() : before(group, index.next(), count);
    }

    /** Up to {@code count} messages just before a sequence, oldest first: the page further back. */
    public synchronized List<StoredMessage> before(GroupId group, long sequence, int count) {
        GroupIndex index = groups.get(group);
        List<StoredMessage> page = new ArrayList<>();
        for (long s = Math.min(sequence, index == null ? 0 : index.next()) - 1; s >= 0 && page.size() < count; s--) {
            stored(index, group, s, null).ifPresent(page::add);
        }
        Collections.reverse(page);
        return page;
    }

    /** Up to {@code count} messages after a sequence, oldest first: catch-up from where a reader stopped. */
    public synchronized List<StoredMessage> after(GroupId group, long sequence, int count) {
        GroupIndex index = groups.get(group);
        List<StoredMessage> page = new ArrayList<>();
        for (long s = Math.max(0, sequence + 1); index != null && s < index.next() && page.size() < count; s++) {
            stored(index, group, s, null).ifPresent(page::add);
        }
        return page;
    }

    /**
     * The message {@code id} at a sequence of a group; empty if the log holds none there, or if its record is
     * found damaged now (then reported, naming the message, and settled when the message is appended again).
     */
    public synchronized Optional<StoredMessage> read(GroupId group, long sequence, MessageId id) {
        GroupIndex index = groups.get(group);
        return index == null || sequence < 0 || sequence >= index.next() ? Optional.empty()
                : stored(index, group, sequence, id);
    }

    /** One more than the group's highest sequence: where its next message goes. */
    public synchronized long nextSequence(GroupId group) {
        GroupIndex index = groups.get(group);
        return index == null ? 0 : index.next();
    }

    public synchronized Set<GroupId> groups() {
        return Set.copyOf(groups.keySet());
    }

    /** Damaged records not yet settled by appending their messages again. */
    public synchronized List<Damage> damaged() {
        return List.copyOf(damaged.values());
    }

    /**
     * What opening cut from the end of the log: the records of a commit that was never wholly written
     * (so never acknowledged), or damage at the very end, which cannot be told from it. Those whose
     * header was whole name their message.
     */
    public List<Damage> lostAtTail() {
        return List.copyOf(lostAtTail);
    }

    @Override
    public synchronized void close() {
        try {
            segments.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the message log: " + e.getMessage(), e);
        }
    }

    /** @param id the message's ID if the caller knows it, else null */
    private Optional<StoredMessage> stored(GroupIndex index, GroupId group, long sequence, MessageId id) {
        Record message = messageRecord(index, sequence, id);
        if (message == null) {
            return Optional.empty();
        }
        long statusAt = index.statusAt(sequence);
        Record status = statusAt == 0 ? null : segments.read(statusAt, Segments.TYPICAL_STATUS);
        if (statusAt != 0 && status == null) {
            LOG.log(WARNING, "the latest delivery status of message {0} is damaged in {1}; its first status stands",
                    message.id(), segments.file(statusAt >>> Segments.OFFSET_BITS));
            index.putStatus(sequence, 0);
        }
        return Optional.of(new StoredMessage(group, sequence, message.id(), message.message(),
                (status == null ? message : status).status()));
    }

    /** The message record at a sequence, or null: none there, or damaged since opening (then reported). */
    private Record messageRecord(GroupIndex index, long sequence, MessageId id) {
        long location = index.messageAt(sequence);
        if (location == 0) {
            return null;
        }
        Record record = segments.read(location, Segments.TYPICAL_MESSAGE);
        if (record == null) {
            index.forget(sequence);
            GroupId group = groupsByNumber.get(index.number);
            Damage damage = new Damage(group, sequence, id, segments.file(location >>> Segments.OFFSET_BITS),
                    location & ((1L << Segments.OFFSET_BITS) - 1), Record.HEADER);
            damaged.put(id != null ? id : damage, damage);
            LOG.log(WARNING, DAMAGED_RECORD, damage);
            onDamage.accept(damage);
        }
        return record;
    }

    private long write(Record record) {
        try {
            return segments.append(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the message log: " + e.getMessage(), e);
        }
    }

    GroupIndex group(GroupId group) {
        return groups.computeIfAbsent(group, g -> {
            groupsByNumber.add(g);
            return new GroupIndex(groupsByNumber.size() - 1);
        });
    }

    /**
     * Reads every segment once on opening: indexes the records that are whole, cuts a torn tail, and
     * reports damage. Only the end of the last segment can be torn by a killed process; damage anywhere
     * else is reported and left in place, so that nothing is lost that a later look could still save.
     */
    private static final class Recovery {

        private final MessageLog log;
        private final Segments segments;
        /** Damage found in the segment being read, not yet known to be in its middle or at its end. */
        private final List<Found> found = new ArrayList<>();
        private final Map<GroupId, BitSet> damagedSequences = new HashMap<>();
        /**
         * The IDs named by damaged records, and those of them whose messages were appended again further on
         * (fetched again from members): a message is appended again only after its damage was found, so later
         * in the log.
         */
        private final Set<MessageId> damagedIds = new HashSet<>();
        private final Set<MessageId> appendedAgain = new HashSet<>();
        private int damagedStatuses;

        Recovery(MessageLog log) {
            this.log = log;
            this.segments = log.segments;
        }

        void run() throws IOException {
            for (long segment : segments.numbers()) {
                scan(segment, segment == segments.last());
            }
            reportGaps();
            log.damaged.values().removeIf(d -> d.id() != null && appendedAgain.contains(d.id()));
            log.damaged.values().forEach(d -> LOG.log(WARNING, DAMAGED_RECORD, d));
            if (damagedStatuses > 0) {
                LOG.log(WARNING, "{0} delivery statuses in the message log are damaged; the statuses before them stand",
                        damagedStatuses);
            }
        }

        private void scan(long segment, boolean last) throws IOException {
            Path file = segments.file(segment);
            ByteBuffer all = segments.readAll(segment);
            if (!startsWithFileHeader(all)) {
                if (last && all.limit() < Segments.FILE_HEADER.length) {
                    // Killed while creating the segment: it holds nothing yet.
                    LOG.log(WARNING, "the last segment {0} of the message log was never written; it is started again", file);
                    segments.cutLast(0);
                    segments.restartLast();
                    return;
                }
                throw new RingchatException(file + " is not a segment of ringchat's message log format "
                        + Segments.FILE_HEADER[Segments.FILE_HEADER.length - 1] + "; move it away or restore the data directory");
            }
            int position = Segments.FILE_HEADER.length;
            int wholeUntil = position;
            found.clear();
            while (position < all.limit()) {
                Record.Header header = Record.Header.read(all.duplicate().position(position));
                if (header == null) {
                    int next = nextHeader(all, position + 1);
                    found.add(new Found(new Damage(null, -1, null, file, position, next - position), false));
                    position = next;
                    continue;
                }
                int end = position + Record.HEADER + header.bodyLength();
                long location = Segments.location(segment, position);
                if (end <= all.limit() && header.matches(all.duplicate().limit(end).position(position + Record.HEADER))) {
                    index(header, location);
                    wholeUntil = end;
                } else {
                    found.add(new Found(new Damage(header.group(), header.sequence(), header.id(), file, position,
                            Math.min(end, all.limit()) - position), header.kind() == Record.STATUS));
                    if (header.kind() == Record.MESSAGE) {
                        damagedIds.add(header.id());
                    }
                }
                position = Math.min(end, all.limit());
            }
            for (Found damage : found) {
                if (last && damage.damage().offset() >= wholeUntil) {
                    if (!damage.status()) {
                        log.lostAtTail.add(damage.damage());
                    }
                } else if (damage.status()) {
                    damagedStatuses++;
                } else {
                    settle(damage.damage());
                }
            }
            if (last && wholeUntil < all.limit()) {
                LOG.log(WARNING, "the message log ended in a commit that was never wholly written: cut {0} bytes at the end "
                        + "of {1}, holding {2}", all.limit() - wholeUntil, file, log.lostAtTail.isEmpty()
                        ? "only delivery statuses" : log.lostAtTail);
                segments.cutLast(wholeUntil);
            }
        }

        private void settle(Damage damage) {
            if (damage.group() != null) {
                log.group(damage.group()).reserve(damage.sequence());
                damagedSequences.computeIfAbsent(damage.group(), g -> new BitSet()).set((int) damage.sequence());
            }
            log.damaged.put(damage.id() != null ? damage.id() : damage, damage);
        }

        /** A damaged record; one that held a delivery status costs only that status. */
        private record Found(Damage damage, boolean status) {
        }

        private void index(Record.Header header, long location) {
            GroupIndex index = log.group(header.group());
            if (header.kind() == Record.MESSAGE) {
                index.putMessage(header.sequence(), location);
                if (damagedIds.contains(header.id())) {
                    appendedAgain.add(header.id());
                }
            } else if (index.messageAt(header.sequence()) != 0) {
                index.putStatus(header.sequence(), location);
            }
        }

        /** Sequences with no record at all: their records were in damage that hid which they were. */
        private void reportGaps() {
            log.groups.forEach((group, index) -> {
                BitSet known = damagedSequences.getOrDefault(group, new BitSet());
                for (long s = 0; s < index.next(); s++) {
                    if (index.messageAt(s) == 0 && !known.get((int) s)) {
                        Damage gap = new Damage(group, s, null, null, -1, 0);
                        log.damaged.put(gap, gap);
                    }
                }
            });
        }

        private static boolean startsWithFileHeader(ByteBuffer all) {
            return all.limit() >= Segments.FILE_HEADER.length
                    && all.duplicate().limit(Segments.FILE_HEADER.length).equals(ByteBuffer.wrap(Segments.FILE_HEADER));
        }

        /** Where the next intact header starts, or the end. */
        private static int nextHeader(ByteBuffer all, int from) {
            for (int at = from; at + Record.HEADER <= all.limit(); at++) {
                if (all.getInt(at) == Record.MAGIC && Record.Header.read(all.duplicate().position(at)) != null) {
                    return at;
                }
            }
            return all.limit();
        }
    }
}
