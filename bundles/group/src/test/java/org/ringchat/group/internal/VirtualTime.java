package org.ringchat.group.internal;

import java.util.PriorityQueue;

/** A {@link Scheduler} on virtual time: tasks run in time order when the test advances the clock. */
final class VirtualTime implements Scheduler {

    private record Task(long at, long seq, Runnable run, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((x, y) -> x.at != y.at
            ? Long.compare(x.at, y.at) : Long.compare(x.seq, y.seq));
    private long now;
    private long seq;

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        boolean[] cancelled = {false};
        queue.add(new Task(now + Math.max(0, delayMillis), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Runs every task due up to {@code millis} from now, in order, and moves the clock there. */
    void advance(long millis) {
        long until = now + millis;
        while (!queue.isEmpty() && queue.peek().at <= until) {
            Task task = queue.poll();
            now = task.at;
            if (!task.cancelled[0]) {
                task.run.run();
            }
        }
        now = until;
    }
}
