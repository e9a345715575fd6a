package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class SeqRangesTest {

    @Test
    void numbersInARunMakeOneRangeAndAGapSplitsIt() {
        SeqRanges ranges = new SeqRanges();
        for (long seq : new long[] {3, 1, 2, 5, 7, 6, 2}) {
            ranges.add(seq);
        }
        assertEquals(List.of(new SeqRanges.Range(1, 3), new SeqRanges.Range(5, 7)), ranges.ranges());
        ranges.add(4);
        assertEquals(List.of(new SeqRanges.Range(1, 7)), ranges.ranges());
    }

    @Test
    void theRangesAreTheRunsOfTheNumbersAddedInAnyOrder() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            SeqRanges ranges = new SeqRanges();
            TreeSet<Long> added = new TreeSet<>();
            for (int i = 0; i < 60; i++) {
                long seq = 1 + random.nextInt(80);
                ranges.add(seq);
                added.add(seq);
            }
            assertEquals(SeqRanges.of(List.copyOf(added)).get(0), ranges.ranges());
        }
    }

    @Test
    void pastTheMostRangesTheLowestGo() {
        SeqRanges ranges = new SeqRanges();
        for (long i = 0; i <= SeqRanges.MAX_RANGES; i++) {
            ranges.add(2 * i);
        }
        assertEquals(SeqRanges.MAX_RANGES, ranges.ranges().size());
        assertEquals(new SeqRanges.Range(2, 2), ranges.ranges().get(0));
    }

    @Test
    void aListOfNumbersBecomesFramesOfAtMostTheMostRanges() {
        List<Long> odd = LongStream.range(0, 2 * SeqRanges.MAX_RANGES + 2).filter(i -> i % 2 == 1).boxed().toList();
        List<List<SeqRanges.Range>> frames = SeqRanges.of(odd);
        assertEquals(List.of(SeqRanges.MAX_RANGES, 1), frames.stream().map(List::size).toList());
        assertEquals(List.of(List.of(new SeqRanges.Range(4, 9))), SeqRanges.of(List.of(4L, 5L, 6L, 7L, 8L, 9L)));
    }
}
