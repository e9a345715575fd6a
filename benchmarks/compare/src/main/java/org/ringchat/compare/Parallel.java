package org.ringchat.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Closing many members at once, each on a thread of its own. */
final class Parallel {

    private Parallel() {
    }

    /**
     * Runs the action on every item side by side and waits for all. A failure is printed, not thrown:
     * a member that fails to close must not end the run.
     */
    static <T> void forEach(List<T> items, Consumer<T> action) {
        List<Thread> threads = new ArrayList<>();
        for (T item : items) {
            Thread t = new Thread(() -> {
                try {
                    action.accept(item);
                } catch (RuntimeException e) {
                    System.err.println("closing " + item + " failed: " + e);
                }
            }, "bench-close");
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
