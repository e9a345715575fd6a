package org.ringchat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class EventLoopTest {

    @Test
    void runsTasksByTimeThenByTheOrderTheyWereScheduledIn() {
        EventLoop loop = new EventLoop();
        List<String> order = new ArrayList<>();
        loop.at(5, () -> order.add("a5"));
        loop.at(1, () -> order.add("b1"));
        loop.at(5, () -> order.add("c5"));
        // Far beyond the wheel: kept in the queue, then moved ahead of later arrivals in its bucket.
        loop.at(200_000, () -> order.add("far"));
        loop.at(1, () -> {
            order.add("d1");
            loop.after(0, () -> order.add("e1"));
        });
        EventLoop.Event cancelled = loop.at(3, () -> order.add("cancelled"));
        cancelled.cancelled = true;
        loop.runUntil(10);
        assertEquals(List.of("b1", "d1", "e1", "a5", "c5"), order);
        assertEquals(10, loop.now());
        loop.at(150_000, () -> loop.after(50_000, () -> order.add("near")));
        loop.runUntil(300_000);
        assertEquals(List.of("b1", "d1", "e1", "a5", "c5", "far", "near"), order);
        assertEquals(300_000, loop.now());
    }
}
