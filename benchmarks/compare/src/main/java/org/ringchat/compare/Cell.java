package org.ringchat.compare;

import java.nio.file.Path;

/**
 * One configuration of the comparison: a system, a group size, a payload and how many members send.
 *
 * @param senders 1, or {@code members}: every member sends
 */
record Cell(Kind system, int members, int payload, int senders) {

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
        return String.format("%-11s N=%-3d %6d B  %s", system.label, members, payload,
                senders == 1 ? "1 sender" : senders + " senders");
    }
}
