package org.ringchat.spi;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;
import org.ringchat.api.PeerId;

/**
 * How a group's members are linked: a plug-in the group engine asks where to pass a message on.
 */
@ConsumerType
public interface Topology {

    /** A short name for status output, e.g. {@code ring}. */
    String name();

    /**
     * The members a message goes to next after {@code self}, in order of preference: the engine hands
     * it to the first that acknowledges. {@code members} is the group's member list, identical on every
     * member; the result never contains {@code self}.
     */
    List<PeerId> nextHops(List<PeerId> members, PeerId self);
}
