package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.ringchat.api.GroupId;
import org.ringchat.api.PeerId;
import org.ringchat.spi.HandOff;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Topology;

/**
 * What a node reports within one turn of its loop (the frames handled before the loop comes back to it),
 * sent together when the turn is over: one ACKS per link, the parts done per link, the confirmations per
 * route — so that a burst of messages costs a frame of each, not one per message ({@link Dissemination}).
 */
final class TurnReports {

    /** Sends a report; {@code failed} runs when it cannot go. */
    interface Sender {
        void send(PeerId to, int type, byte[] body, Runnable failed);
    }

    /** Confirmations whose target could not be reached, to pass to whoever takes over its part. */
    interface Undelivered {
        void confirms(Ring ring, Topology topology, HandOff handOff, GroupId group,
                      List<BroadcastFrames.Confirmed> messages);
    }

    /** A sender's link as its CHATs name it: the peer, and the epoch its numbers belong to. */
    private record LinkOf(PeerId peer, long epoch) {
    }

    /** The parts done to report on one link. */
    private static final class PartsDone {
        final TreeSet<Long> complete = new TreeSet<>();
        final List<BroadcastFrames.PartMissed> missed = new ArrayList<>();
    }

    /** Where a confirmation goes: to whom, for which group, routed on how. */
    private record ConfirmRoute(PeerId target, GroupId group, String topology, PeerId route) {
    }

    /** Confirmations going the same way, and what to reroute them by if the target cannot be reached. */
    private record ConfirmBatch(Ring ring, Topology topology, HandOff handOff, List<BroadcastFrames.Confirmed> messages) {
    }

    private final Scheduler scheduler;
    /** What this node holds of a peer's link, as its ACKS says it; null for a peer it holds nothing of. */
    private final Function<PeerId, BroadcastFrames.Acks> heldFrom;
    private final Sender sender;
    private final Undelivered undelivered;

    private final Set<PeerId> acks = new LinkedHashSet<>();
    private final Map<LinkOf, PartsDone> partsDone = new LinkedHashMap<>();
    private final Map<ConfirmRoute, ConfirmBatch> confirms = new LinkedHashMap<>();
    private boolean due;

    TurnReports(Scheduler scheduler, Function<PeerId, BroadcastFrames.Acks> heldFrom, Sender sender,
                Undelivered undelivered) {
        this.scheduler = scheduler;
        this.heldFrom = heldFrom;
        this.sender = sender;
        this.undelivered = undelivered;
    }

    void ack(PeerId peer) {
        acks.add(peer);
        due();
    }

    /** The part handed over as CHAT number {@code seq} of the peer's link in {@code epoch} is done. */
    void partDone(PeerId peer, long epoch, long seq, Dissemination.Missing missing) {
        PartsDone done = partsDone.computeIfAbsent(new LinkOf(peer, epoch), k -> new PartsDone());
        if (missing.total() == 0) {
            done.complete.add(seq);
        } else {
            done.missed.add(new BroadcastFrames.PartMissed(seq, missing));
        }
        due();
    }

    void confirm(Ring ring, Topology current, GroupId group, HandOff handOff, List<BroadcastFrames.Confirmed> messages) {
        confirms.computeIfAbsent(new ConfirmRoute(handOff.target(), group, current.name(), handOff.route()),
                k -> new ConfirmBatch(ring, current, handOff, new ArrayList<>())).messages().addAll(messages);
        due();
    }

    private void due() {
        if (!due) {
            due = true;
            scheduler.schedule(0, this::send);
        }
    }

    private void send() {
        due = false;
        for (PeerId peer : acks) {
            BroadcastFrames.Acks held = heldFrom.apply(peer);
            if (held != null) {
                sender.send(peer, FrameType.ACKS, held.encode(), () -> { });
            }
        }
        acks.clear();
        partsDone.forEach((to, done) -> {
            List<List<SeqRanges.Range>> complete = SeqRanges.of(List.copyOf(done.complete));
            List<List<BroadcastFrames.PartMissed>> missed = chunks(done.missed, BroadcastFrames.PartsDone.MAX_MISSED);
            for (int i = 0; i < Math.max(complete.size(), missed.size()); i++) {
                sender.send(to.peer(), FrameType.PARTS_DONE, new BroadcastFrames.PartsDone(to.epoch(),
                        i < complete.size() ? complete.get(i) : List.of(),
                        i < missed.size() ? missed.get(i) : List.of()).encode(), () -> { });
            }
        });
        partsDone.clear();
        Map<ConfirmRoute, ConfirmBatch> going = new LinkedHashMap<>(confirms);
        confirms.clear();
        going.forEach(this::sendConfirms);
    }

    private void sendConfirms(ConfirmRoute to, ConfirmBatch batch) {
        List<BroadcastFrames.Confirmed> frame = new ArrayList<>();
        int missed = 0;
        for (BroadcastFrames.Confirmed message : batch.messages()) {
            boolean missing = message.missing().total() > 0;
            if (frame.size() == BroadcastFrames.Confirms.MAX_MESSAGES
                    || (missing && missed == BroadcastFrames.Confirms.MAX_MISSED)) {
                sendConfirms(to, batch, frame);
                frame = new ArrayList<>();
                missed = 0;
            }
            frame.add(message);
            missed += missing ? 1 : 0;
        }
        sendConfirms(to, batch, frame);
    }

    private void sendConfirms(ConfirmRoute to, ConfirmBatch batch, List<BroadcastFrames.Confirmed> messages) {
        byte[] body = new BroadcastFrames.Confirms(to.group(), to.topology(), to.route(), messages).encode();
        sender.send(to.target(), FrameType.CONFIRMS, body, () -> undelivered.confirms(batch.ring(), batch.topology(),
                batch.handOff(), to.group(), messages));
    }

    private static <T> List<List<T>> chunks(List<T> all, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            chunks.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return chunks;
    }
}
