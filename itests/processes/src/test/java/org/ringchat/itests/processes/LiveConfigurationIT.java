package org.ringchat.itests.processes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Editing the installation's {@code deploy/org.ringchat.node.cfg} while nodes run: the new timing applies at
 * once, with one log line, and nothing restarts (the transport keeps listening, the group chat service and
 * its groups stay, messages go on flowing).
 */
class LiveConfigurationIT {

    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String GROUP = "live";

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    @Test
    void aChangedTimingAppliesWhileTheNodesRunWithoutARestart() throws IOException {
        Path installation = nodes.copyOfInstallation();
        NodeProcess a = nodes.start("a", installation);
        NodeProcess b = nodes.start("b", installation);
        a.run("create " + GROUP);
        a.run("invite " + GROUP + " " + b.address());
        a.run("send " + GROUP + " before");

        Path configuration = installation.resolve("deploy/org.ringchat.node.cfg");
        String shipped = Files.readString(configuration);
        assertTrue(shipped.contains("#ack.timeout.max.ms = 3000"), "the shipped file shows the default");
        Files.writeString(configuration, shipped.replace("#ack.timeout.max.ms = 3000", "ack.timeout.max.ms = 2500"));

        for (NodeProcess node : List.of(a, b)) {
            await(node.name() + " takes the new timing").atMost(SETTLE).pollInterval(POLL)
                    .until(() -> node.stderr().stream().anyMatch(l -> l.contains("took the new protocol timing")
                            && l.contains("maxMillis=2500")));
            assertEquals(1, count(node.stderr(), "listening on"), node.name() + ": the transport was not restarted");
            assertEquals(1, count(node.stderr(), ": loaded "), node.name() + ": the engine loaded its groups once");
        }
        a.run("send " + GROUP + " after");
        await("both messages at b").atMost(SETTLE).pollInterval(POLL)
                .until(() -> b.run("history " + GROUP).stream().filter(l -> l.contains("before") || l.contains("after"))
                        .count() == 2);
    }

    private static long count(List<String> lines, String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }
}
