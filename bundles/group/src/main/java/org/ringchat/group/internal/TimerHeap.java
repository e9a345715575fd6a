package org.ringchat.group.internal;

import java.util.Arrays;

/**
 * The timers of one {@link EngineThread}, earliest first, in a heap whose entries know their place: most are
 * cancelled long before they are due (a hand-off's acknowledgement, a part's completion), and each is taken out
 * at once instead of weighing on every later one. Two due at the same time come out in the order they were set.
 * Only the loop's thread touches it; a timer cancelled elsewhere is only marked, and dropped when it comes first.
 */
final class TimerHeap {

    /** One timer: when it is due, what it runs. */
    static final class Timed {
        /** When it is due, in its loop's time. */
        final long dueMillis;
        final Runnable task;
        /** Set by a cancel: the timer does not run. */
        volatile boolean cancelled;
        /** Its place in the heap; -1 outside it. */
        private int index = -1;
        /** How many timers were set before it: the tie-break. */
        private long order;

        Timed(long dueMillis, Runnable task) {
            this.dueMillis = dueMillis;
            this.task = task;
        }
    }

    private Timed[] heap = new Timed[64];
    private int size;
    private long added;

    void add(Timed timed) {
        if (timed.cancelled || timed.index >= 0) {
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, 2 * size);
        }
        timed.order = added++;
        place(timed, size++);
        up(timed.index);
    }

    /** Cancels a timer and takes it out of the heap, if it is there. */
    void remove(Timed timed) {
        timed.cancelled = true;
        int at = timed.index;
        if (at < 0) {
            return;
        }
        timed.index = -1;
        Timed last = heap[--size];
        heap[size] = null;
        if (last != timed) {
            place(last, at);
            down(at);
            if (heap[at] == last) {
                up(at);
            }
        }
    }

    /** Whether a timer not cancelled is due by then. */
    boolean dueBy(long nowMillis) {
        dropCancelled();
        return size > 0 && heap[0].dueMillis <= nowMillis;
    }

    /** The earliest timer if it is due by then, taken out of the heap; null if none is. */
    Timed takeDue(long nowMillis) {
        if (!dueBy(nowMillis)) {
            return null;
        }
        Timed first = heap[0];
        remove(first);
        return first;
    }

    /** When the earliest timer not cancelled is due; {@link Long#MAX_VALUE} when there is none. */
    long nextDue() {
        dropCancelled();
        return size == 0 ? Long.MAX_VALUE : heap[0].dueMillis;
    }

    private void dropCancelled() {
        while (size > 0 && heap[0].cancelled) {
            remove(heap[0]);
        }
    }

    private void up(int at) {
        while (at > 0) {
            int parent = (at - 1) / 2;
            if (!earlier(heap[at], heap[parent])) {
                return;
            }
            swap(at, parent);
            at = parent;
        }
    }

    private void down(int at) {
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                return;
            }
            if (child + 1 < size && earlier(heap[child + 1], heap[child])) {
                child++;
            }
            if (!earlier(heap[child], heap[at])) {
                return;
            }
            swap(at, child);
            at = child;
        }
    }

    private static boolean earlier(Timed a, Timed b) {
        return a.dueMillis < b.dueMillis || a.dueMillis == b.dueMillis && a.order < b.order;
    }

    private void swap(int a, int b) {
        Timed first = heap[a];
        place(heap[b], a);
        place(first, b);
    }

    private void place(Timed timed, int at) {
        heap[at] = timed;
        timed.index = at;
    }
}
