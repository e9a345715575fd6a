package org.ringchat.simulator;

import org.ringchat.group.internal.Scheduler;

/**
 * One member's {@link Scheduler} on the shared {@link EventLoop}. A crashed member's timers do not fire:
 * its process is gone.
 */
final class VirtualScheduler implements Scheduler {

    private final EventLoop loop;
    private final SimNode node;

    VirtualScheduler(EventLoop loop, SimNode node) {
        this.loop = loop;
        this.node = node;
    }

    @Override
    public long nowMillis() {
        return loop.now();
    }

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        EventLoop.Event event = loop.after(delayMillis, () -> {
            if (!node.crashed) {
                task.run();
            }
        });
        return () -> event.cancelled = true;
    }
}
