package org.ringchat.spi;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;
import org.ringchat.api.PeerId;

/**
 * How a group's members are linked and how a broadcast spreads over the links: a plug-in the group
 * engine asks, for every message, whom to give it to. Implementations are pure functions of their
 * arguments, so every member computes the same plan.
 *
 * <p>A broadcast starts at its author with {@code forward(ring, author, author)}. Every member that
 * receives a hand-off calls {@code forward(ring, self, route)} with the hand-off's route, and so on.
 * In a healthy group every member other than the author receives the message exactly once. When the
 * target of a hand-off is down, the engine asks {@link #reroute} for the hand-offs that take over its part.
 */
@ConsumerType
public interface Topology {

    /**
     * A short name, e.g. {@code ring}; members compare it to tell whether they route alike. Printable ASCII
     * of at most 32 characters, since every frame of the broadcast carries it; a topology with another
     * name is not used.
     */
    String name();

    /**
     * The members {@code self} keeps connections to and watches for failure; never {@code self}.
     * Its size must stay O(log N).
     */
    Set<PeerId> links(Ring ring, PeerId self);

    /**
     * The hand-offs {@code self} makes for a message it received with {@code route}, or that it wrote
     * ({@code route} = {@code self}). Never names {@code self} as a target.
     */
    List<HandOff> forward(Ring ring, PeerId self, PeerId route);

    /**
     * The hand-offs that replace {@code failed}, made by {@code self}, whose target is down: the members
     * of the failed target's part, other than the target, still get the message. Empty when nobody else
     * is in that part.
     */
    List<HandOff> reroute(Ring ring, PeerId self, HandOff failed);
}
