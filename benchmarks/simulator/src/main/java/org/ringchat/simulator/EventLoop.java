package org.ringchat.simulator;

import java.util.PriorityQueue;

/**
 * The simulation's one thread of time: tasks ordered by virtual time in ms, ties broken by the order they
 * were scheduled in, so a run is a pure function of its seed. Nothing here sleeps; time jumps to the next
 * task.
 *
 * <p>A timing wheel of one bucket per ms for the next {@value #WHEEL} ms (a FIFO list each, which keeps
 * the scheduling order), and a priority queue for later tasks, moved onto the wheel, in order, before any
 * task can be scheduled directly into their bucket. Cancelled tasks stay queued and are skipped.
 */
public final class EventLoop {

    private static final int WHEEL = 1 << 16;
    private static final int MASK = WHEEL - 1;

    /** A task at a virtual time. */
    static final class Event implements Comparable<Event> {
        final long time;
        final long sequence;
        final Runnable task;
        boolean cancelled;
        Event next;

        Event(long time, long sequence, Runnable task) {
            this.time = time;
            this.sequence = sequence;
            this.task = task;
        }

        @Override
        public int compareTo(Event o) {
            int byTime = Long.compare(time, o.time);
            return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
        }
    }

    private final Event[] heads = new Event[WHEEL];
    private final Event[] tails = new Event[WHEEL];
    private final PriorityQueue<Event> later = new PriorityQueue<>();
    /** The ms whose bucket is being, or is next, processed; buckets cover [current, current + WHEEL). */
    private long current;
    private long now;
    private long sequence;
    private long executed;
    private int queued;

    public long now() {
        return now;
    }

    /** How many tasks have run so far. */
    public long executed() {
        return executed;
    }

    public int queued() {
        return queued;
    }

    Event at(long time, Runnable task) {
        if (time < now) {
            throw new IllegalArgumentException("in the past: " + time + " < " + now);
        }
        Event event = new Event(time, sequence++, task);
        queued++;
        if (time - current < WHEEL) {
            append(event);
        } else {
            later.add(event);
        }
        return event;
    }

    Event after(long delay, Runnable task) {
        return at(now + Math.max(0, delay), task);
    }

    private void append(Event event) {
        int b = (int) (event.time & MASK);
        if (heads[b] == null) {
            heads[b] = event;
        } else {
            tails[b].next = event;
        }
        tails[b] = event;
    }

    /** Runs every task due up to and including {@code time}, then sets the clock to {@code time}. */
    public void runUntil(long time) {
        while (true) {
            int b = (int) (current & MASK);
            Event event;
            while ((event = heads[b]) != null) {
                heads[b] = event.next;
                if (heads[b] == null) {
                    tails[b] = null;
                }
                event.next = null;
                queued--;
                if (event.cancelled) {
                    continue;
                }
                now = event.time;
                executed++;
                event.task.run();
            }
            if (current >= time) {
                break;
            }
            current++;
            if (queued == later.size() && !later.isEmpty() && queued > 0) {
                // Only far-off tasks: jump close to the first of them.
                current = Math.min(time, Math.max(current, later.peek().time - WHEEL + 1));
            } else if (queued == 0) {
                current = time;
            }
            while (!later.isEmpty() && later.peek().time - current < WHEEL) {
                append(later.poll());
            }
        }
        now = Math.max(now, time);
    }
}
