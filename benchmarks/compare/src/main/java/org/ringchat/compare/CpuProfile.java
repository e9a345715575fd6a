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
 * also count threads waiting for a core.
 */
final class CpuProfile {

    private static final Duration PERIOD = Duration.ofMillis(10);

    /** @param samples execution samples by category */
    record Result(Map<String, Long> samples) {
    }

    private final Recording recording = new Recording();

    private CpuProfile() {
        recording.enable("jdk.ExecutionSample").withPeriod(PERIOD).withStackTrace();
        recording.setToDisk(true);
    }

    static CpuProfile start() {
        CpuProfile profile = new CpuProfile();
        profile.recording.start();
        return profile;
    }

    /** Stops the recording and counts its samples by category. */
    Result stop() {
        recording.stop();
        Path file = null;
        try {
            file = Files.createTempFile("compare-profile-", ".jfr");
            recording.dump(file);
            Map<String, Long> samples = new TreeMap<>();
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                List<String> frames = event.getStackTrace() == null ? List.of() : event.getStackTrace().getFrames()
                        .stream().map(CpuProfile::name).toList();
                samples.merge(CpuCategory.of(frames), 1L, Long::sum);
            }
            return new Result(samples);
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
