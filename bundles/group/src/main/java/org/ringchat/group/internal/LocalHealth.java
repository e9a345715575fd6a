package org.ringchat.group.internal;

/**
 * How far this node trusts its own timing (Lifeguard's local health, Dadgar et al. 2018; HashiCorp
 * memberlist's awareness): a node that is slow itself — overloaded, paused, on a congested link — misses
 * the answers to its own probes and takes live members for down. A score from 0 (healthy) to a maximum
 * rises with each sign of that and falls with each probe answered in time, and every timeout is stretched
 * by the score plus one, so that a slow node suspects others less and later.
 */
final class LocalHealth {

    private int score;

    /** A direct probe was answered in time. */
    void answeredInTime() {
        score = Math.max(0, score - 1);
    }

    /**
     * A sign that this node, not the other, is slow: a member its direct probe missed proved alive, or a
     * member it took for down was heard from again.
     */
    void missed(int maxScore) {
        score = Math.min(maxScore, score + 1);
    }

    /** {@code millis} stretched by the score, which is kept within {@code maxScore} (the setting may have dropped). */
    long scale(long millis, int maxScore) {
        score = Math.min(score, maxScore);
        return millis * (score + 1);
    }

    int score() {
        return score;
    }
}
