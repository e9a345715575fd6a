package org.ringchat.itests.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The interactive shell on a real pseudo-terminal, which script(1) gives bin/ringchat; the test types into
 * script's stdin, a FIFO. A paste longer than a line may be is refused whole: in canonical mode the kernel
 * would have cut it at 4095 bytes, and the cut line would have been sent.
 */
class InteractivePasteIT {

    private static final Duration ANSWER = Duration.ofSeconds(30);

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    @Test
    void aPastedHundredKilobytesAreRefusedWholeAndTheNextLineIsSent() throws Exception {
        Path fifo = nodes.workDir().resolve("keys");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
        String node = TracedProcess.bin() + " --data " + nodes.workDir().resolve("node") + " --listen 127.0.0.1:"
                + Ports.pick() + " --http off";
        // a new pty has no size, and JLine would draw the prompt in no columns
        List<String> command = List.of("script", "-qfec", "stty cols 120 rows 40; exec " + node, "/dev/null");
        // opened for reading and writing, so that neither this open nor script's blocks
        try (RandomAccessFile keys = new RandomAccessFile(fifo.toFile(), "rw");
                TracedProcess shell = TracedProcess.startCommand(nodes.workDir().resolve("shell.log"), fifo, command,
                        Map.of("TERM", "xterm"))) {
            shell.stdout().await("the greeting", l -> l.contains("'exit' or Ctrl-D stops the node"),
                    NodeProcess.STARTUP_TIMEOUT);
            type(keys, "create g");
            shell.stdout().await("the group's ID", l -> l.matches(".*[0-9a-f]{64}.*"), ANSWER);

            type(keys, "send g " + "y".repeat(100_000));
            shell.stdout().await("the refusal", l -> l.contains("error: the line is longer than the 17408 bytes a line"
                    + " may have (a message holds at most 16384 bytes in UTF-8): it was not run"), ANSWER);
            type(keys, "send g after");
            type(keys, "history g");
            shell.stdout().await("the history", l -> l.contains("  me  after  ["), ANSWER);
            type(keys, "exit");
            assertEquals(0, shell.awaitExit(ANSWER), "exit status");
            assertEquals(List.of(), shell.stdout().all().stream().filter(l -> l.contains("  me  y")).toList(),
                    "nothing of the paste was sent");
        }
    }

    /** Types a line and Enter, as a terminal sends them in raw mode. */
    private static void type(RandomAccessFile keys, String line) throws IOException {
        keys.write((line + "\r").getBytes(StandardCharsets.UTF_8));
    }
}
