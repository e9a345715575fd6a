package org.ringchat.itests.processes;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Seven {@code bin/ringchat} processes on 127.0.0.1 in one group; while all of them send a stream of
 * messages, random members are killed with SIGKILL and restarted, and at the end every member holds the
 * same complete history ({@link Chaos} says exactly what that means). The seed is printed; replay one with
 * {@code -Dchaos.seed=N}.
 */
class ChaosIT {

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    @Test
    void membersKilledAndRestartedDuringAStreamOfMessagesEndWithTheSameCompleteHistory() {
        List<NodeProcess> all = IntStream.rangeClosed(1, Chaos.NODES)
                .mapToObj(i -> nodes.create("n" + i, Chaos.JAVA_OPTS)).toList();
        new Chaos(Chaos.seed(), all).run();
    }
}
