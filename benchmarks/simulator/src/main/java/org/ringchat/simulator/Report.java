package org.ringchat.simulator;

import java.util.List;

/**
 * What a set of broadcasts achieved, by the definitions of docs/BENCHMARKS.md.
 *
 * @param messages        broadcasts counted
 * @param copiesPerMember CHAT frames sent per broadcast (to live or dead members, duplicates included) ÷ (N − 1), mean
 * @param duplicatePct    CHAT frames that reached a member holding the message already, per broadcast, as % of N − 1
 * @param maxHops         most hops from the author to any member's first copy over CHAT
 * @param meanHops        mean of those hops over every (message, member) delivered over CHAT
 * @param delivered       (message, live member other than the author) pairs held within the window
 * @param pairs           all such pairs
 * @param viaSync         of the delivered pairs, those whose first copy came by anti-entropy rather than CHAT
 * @param lastDelivery    the latest of those deliveries, ms after the message's origin
 * @param neverByChat     of the delivered pairs, those the broadcast never handed a CHAT to (anti-entropy alone)
 */
public record Report(int messages, double copiesPerMember, double duplicatePct, int maxHops, double meanHops,
                     long delivered, long pairs, long viaSync, long lastDelivery, long neverByChat) {

    public double deliveryRatio() {
        return pairs == 0 ? 1 : (double) delivered / pairs;
    }

    /**
     * @param window how long after its origin a delivery counts, in ms; {@code Long.MAX_VALUE} for any time
     */
    public static Report of(Simulation sim, List<Msg> messages, long window) {
        int n = sim.size();
        double copies = 0;
        double duplicates = 0;
        int maxHops = 0;
        long hopSum = 0;
        long hopCount = 0;
        long delivered = 0;
        long pairs = 0;
        long viaSync = 0;
        long neverByChat = 0;
        long last = 0;
        for (Msg m : messages) {
            copies += (double) m.copies / (n - 1);
            duplicates += 100.0 * m.duplicates / (n - 1);
            for (int i = 0; i < n; i++) {
                if (i == m.author) {
                    continue;
                }
                if (m.depth[i] > 0) {
                    maxHops = Math.max(maxHops, m.depth[i]);
                    hopSum += m.depth[i];
                    hopCount++;
                }
                if (sim.isCrashed(i)) {
                    continue;
                }
                pairs++;
                if (m.heldAt[i] >= 0 && m.heldAt[i] - m.origin <= window) {
                    delivered++;
                    last = Math.max(last, m.heldAt[i] - m.origin);
                    if (m.via[i] == Msg.VIA_SYNC) {
                        viaSync++;
                    }
                    if (m.chats[i] == 0) {
                        neverByChat++;
                    }
                }
            }
        }
        int k = Math.max(1, messages.size());
        return new Report(messages.size(), copies / k, duplicates / k, maxHops, hopCount == 0 ? 0 : (double) hopSum / hopCount,
                delivered, pairs, viaSync, last, neverByChat);
    }
}
