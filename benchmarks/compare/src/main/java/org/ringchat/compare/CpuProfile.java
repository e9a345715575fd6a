package org.ringchat.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * JFR execution samples of this JVM's Java threads over a phase, counted by {@link CpuCategory}. Every 10 ms
 * JFR samples threads that are in Java code (a few at most, running or ready to run), so the shares of the
 * samples approximate the shares of the Java threads' user time; on a machine busy with other work they
 * also count threads waiting for a core. It also counts the TLS handshakes made (JFR's {@code jdk.TLSHandshake}).
 */
final class CpuProfile {

    private static final Duration PERIOD = Duration.ofMillis(10);
    private static final String TLS_HANDSHAKE = "jdk.TLSHandshake";

    /**
     * @param samples       execution samples by category
     * @param tlsHandshakes handshakes completed; both ends of a connection within this JVM count once each
     */
    record Result(Map<String, Long> samples, long tlsHandshakes) {
    }

    private final Recording recording = new Recording();

    private CpuProfile() {
        recording.enable("jdk.ExecutionSample").withPeriod(PERIOD).withStackTrace();
        recording.enable(TLS_HANDSHAKE).withoutStackTrace();
        recording.setToDisk(true);
    }

    static CpuProfile start() {
        CpuProfile profile = new CpuProfile();
        profile.recording.start();
        return profile;
    }

    /** Stops the recording, counts its samples by category and the TLS handshakes. */
    Result stop() {
        recording.stop();
        Path file = null;
        try {
            file = Files.createTempFile("compare-profile-", ".jfr");
            recording.dump(file);
            Map<String, Long> samples = new TreeMap<>();
            long handshakes = 0;
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                if (event.getEventType().getName().equals(TLS_HANDSHAKE)) {
                    handshakes++;
                    continue;
                }
                List<String> frames = event.getStackTrace() == null ? List.of() : event.getStackTrace().getFrames()
                        .stream().map(CpuProfile::name).toList();
                samples.merge(CpuCategory.of(frames), 1L, Long::sum);
            }
            return new Result(samples, handshakes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            recording.close();
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
