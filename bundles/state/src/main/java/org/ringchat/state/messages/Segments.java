package org.ringchat.state.messages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The segment files of a message log and the records appended to them: appended records wait in a
 * buffer, and {@link #commit} writes them with one write (and, if asked, one fsync). A record is found
 * by its location: the segment's number in the upper bits, the offset in the segment in the lower
 * {@value #OFFSET_BITS}.
 */
final class Segments implements AutoCloseable {

    static final String SUFFIX = ".seg";
    /** Starts every segment file: a file of another kind, or of a later format, is not read as records. */
    static final byte[] FILE_HEADER = {'R', 'C', 'L', 'O', 'G', 0, 0, 1};
    static final int OFFSET_BITS = 40;
    /** What a first read takes after the header: most messages are shorter, a status much shorter. */
    static final int TYPICAL_MESSAGE = 2048;
    static final int TYPICAL_STATUS = 64;

    private final Path directory;
    private final long segmentBytes;
    private final boolean fsync;
    private final TreeMap<Long, FileChannel> files = new TreeMap<>();
    private long current;
    /** Bytes of the current segment on disk; what waits in {@link #pending} comes after them. */
    private long written;
    /** Direct: a heap buffer would be copied into a direct one of the JDK's at each write, before the kernel copies it. */
    private ByteBuffer pending = ByteBuffer.allocateDirect(64 * 1024);

    private Segments(Path directory, long segmentBytes, boolean fsync) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.fsync = fsync;
    }

    /** Opens the segment files of a directory, creating the directory and a first segment if there are none. */
    static Segments open(Path directory, long segmentBytes, boolean fsync) throws IOException {
        Files.createDirectories(directory);
        Segments segments = new Segments(directory, segmentBytes, fsync);
        try (Stream<Path> listing = Files.list(directory)) {
            for (Path file : listing.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
                segments.files.put(number(file), FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
            }
        }
        if (segments.files.isEmpty()) {
            segments.create(0);
        }
        segments.current = segments.files.lastKey();
        segments.written = segments.files.get(segments.current).size();
        return segments;
    }

    private static long number(Path file) {
        String name = file.getFileName().toString();
        try {
            return Long.parseUnsignedLong(name.substring(0, name.length() - SUFFIX.length()), 16);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("not a segment file of the message log: " + file);
        }
    }

    Path file(long segment) {
        return directory.resolve(String.format("%016x%s", segment, SUFFIX));
    }

    List<Long> numbers() {
        return new ArrayList<>(files.keySet());
    }

    long last() {
        return current;
    }

    /** The whole of a segment on disk, for the scan on opening: mapped, so that it takes no heap. */
    ByteBuffer readAll(long segment) throws IOException {
        FileChannel channel = files.get(segment);
        return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
    }

    /** Cuts the last segment at an offset: what follows it was never wholly written. */
    void cutLast(long offset) throws IOException {
        FileChannel channel = files.get(current);
        channel.truncate(offset);
        channel.force(true);
        written = offset;
    }

    /** Writes the file header again into the last segment, which was cut to nothing. */
    void restartLast() throws IOException {
        FileChannel channel = files.get(current);
        channel.write(ByteBuffer.wrap(FILE_HEADER), 0);
        channel.force(true);
        written = FILE_HEADER.length;
    }

    /** Appends a record to the buffer; returns its location. */
    long append(Record record) throws IOException {
        if (written + pending.position() + record.size() > segmentBytes && written + pending.position() > FILE_HEADER.length) {
            flush();
            create(current + 1);
        }
        if (pending.remaining() < record.size()) {
            ByteBuffer larger = ByteBuffer.allocateDirect(Math.max(pending.capacity() * 2, pending.position() + record.size()));
            pending = larger.put(pending.flip());
        }
        long location = location(current, written + pending.position());
        record.writeTo(pending);
        return location;
    }

    /** Writes what was appended since the last commit, and forces it to the disk if the log was opened so. */
    void commit() throws IOException {
        flush();
    }

    /** Writes the buffer to the current segment: at a commit, and before the next segment is started. */
    private void flush() throws IOException {
        FileChannel channel = files.get(current);
        pending.flip();
        while (pending.hasRemaining()) {
            written += channel.write(pending, written);
        }
        pending.clear();
        if (fsync) {
            channel.force(false);
        }
    }

    private void create(long number) throws IOException {
        Path file = file(number);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // messages are for the node's owner alone, as its store is
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        channel.write(ByteBuffer.wrap(FILE_HEADER), 0);
        if (fsync) {
            channel.force(true);
        }
        files.put(number, channel);
        current = number;
        written = FILE_HEADER.length;
    }

    /**
     * Reads the record at a location, or null if its header or body is not the one written.
     *
     * @param typicalBody how much to read with the header: a longer body takes a second read
     */
    Record read(long location, int typicalBody) {
        long segment = location >>> OFFSET_BITS;
        long offset = location & ((1L << OFFSET_BITS) - 1);
        try {
            // One read for most records: the header and a typical body.
            ByteBuffer first = ByteBuffer.allocate(Record.HEADER + typicalBody);
            readFully(segment, offset, first);
            Record.Header parsed = Record.Header.read(first.flip());
            if (parsed == null) {
                return null;
            }
            byte[] body = new byte[parsed.bodyLength()];
            ByteBuffer rest = ByteBuffer.wrap(body);
            rest.put(first.position(Record.HEADER).limit(Math.min(first.limit(), Record.HEADER + body.length)));
            readFully(segment, offset + Record.HEADER + rest.position(), rest);
            return rest.hasRemaining() || !parsed.matches(ByteBuffer.wrap(body)) ? null : parsed.withBody(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file(segment) + ": " + e.getMessage(), e);
        }
    }

    /** Reads as much as there is, from disk or from what waits for the next commit. */
    private void readFully(long segment, long offset, ByteBuffer into) throws IOException {
        if (segment == current && offset >= written) {
            int from = Math.toIntExact(offset - written);
            int length = Math.min(into.remaining(), pending.position() - from);
            into.put(pending.duplicate().position(from).limit(from + Math.max(0, length)));
            return;
        }
        FileChannel channel = files.get(segment);
        int start = into.position();
        while (into.hasRemaining()) {
            long at = offset + into.position() - start;
            if (segment == current && at >= written) {
                readFully(segment, at, into);
                return;
            }
            if (channel.read(into, at) < 0) {
                return;
            }
        }
    }

    static long location(long segment, long offset) {
        return segment << OFFSET_BITS | offset;
    }

    @Override
    public void close() throws IOException {
        commit();
        for (FileChannel channel : files.values()) {
            channel.close();
        }
    }
}
