package org.ringchat.compare;

import java.nio.file.Path;

/**
 * One configuration of the comparison: a system, a group size, a payload and how many members send.
 *
 * @param senders     1, or {@code members}: every member sends
 * @param repetition  which run of the same configuration in this JVM this is, from 1; only the last one is
 *                    judged, the earlier ones warm the JIT up
 * @param repetitions how many runs of it there are
 */
record Cell(Kind system, int members, int payload, int senders, int repetition, int repetitions) {

    /** A configuration run once. */
    Cell(Kind system, int members, int payload, int senders) {
        this(system, members, payload, senders, 1, 1);
    }

    boolean sameConfiguration(Cell other) {
        return system == other.system && members == other.members && payload == other.payload
                && senders == other.senders;
    }

    /** The systems compared. */
    enum Kind {
        RINGCHAT("ringchat"), JGROUPS("jgroups"), JGROUPS_ENC("jgroups+enc");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        static Kind of(String label) {
            for (Kind kind : values()) {
                if (kind.label.equals(label)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown system '" + label + "': ringchat, jgroups or jgroups+enc");
        }
    }

    Cluster open(Cluster.Sink sink, Path dir, int jgroupsPort) throws Exception {
        return switch (system) {
            case RINGCHAT -> new RingchatCluster(members, sink, dir);
            case JGROUPS -> new JGroupsCluster(members, sink, false, jgroupsPort);
            case JGROUPS_ENC -> new JGroupsCluster(members, sink, true, jgroupsPort);
        };
    }

    String describe() {
        return String.format("%-11s N=%-3d %6d B  %-11s%s", system.label, members, payload,
                senders == 1 ? "1 sender" : senders + " senders",
                repetitions == 1 ? "" : " run " + repetition + "/" + repetitions + (repetition < repetitions ? " (warm-up)" : ""));
    }
}
