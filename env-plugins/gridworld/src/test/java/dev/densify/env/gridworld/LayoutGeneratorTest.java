package dev.densify.env.gridworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class LayoutGeneratorTest {

    /** Feasible specs: up to one pair per two rows of rooms, any share of loops, any seed. */
    private static Gen<LayoutSpec> specs() {
        return integers().between(2, 6).zip(integers().between(0, 100), doubles().between(0, 1), longs().all(),
                (half, pairsRoll, loops, seed) -> {
                    int size = 2 * half + 1;
                    int pairs = Math.min(Layout.LETTERS, pairsRoll % (half + 1));
                    return new LayoutSpec(size, pairs, loops, 0, 3.0, true, seed);
                });
    }

    private static int count(Layout layout, char c) {
        return (int) layout.picture().chars().filter(x -> x == c).count();
    }

    private static int openCells(Layout layout) {
        return layout.cellCount() - count(layout, Layout.WALL);
    }

    @Test
    void everyLayoutIsSolvableFromEveryStart() {
        qt().withFixedSeed(1L).withExamples(300).forAll(specs()).checkAssert(spec -> {
            Layout layout = LayoutGenerator.generate(spec);
            for (int start : layout.starts()) {
                assertTrue(Solver.solve(layout, start, 0).isPresent(), () -> "no way from " + start + " in\n" + layout);
            }
        });
    }

    @Test
    void everyDoorBlocksTheWayToTheGoalAndHasItsKey() {
        qt().withFixedSeed(2L).withExamples(300).forAll(specs()).checkAssert(spec -> {
            Layout layout = LayoutGenerator.generate(spec);
            assertEquals(1, count(layout, Layout.GOAL), () -> layout.toString());
            for (int letter = 0; letter < spec.keyDoorPairs(); letter++) {
                char key = (char) ('a' + letter);
                char door = Character.toUpperCase(key);
                assertEquals(1, count(layout, key), () -> "key " + key + " is missing from\n" + layout);
                assertEquals(1, count(layout, door), () -> "door " + door + " is missing from\n" + layout);
                Layout walledUp = new Layout(layout.size(), layout.picture().replace("\n", "").replace(door, '#')
                        .toCharArray(), layout.starts());
                assertEquals(Optional.empty(), Solver.solve(walledUp, layout.canonicalStart(), 0),
                        () -> "the goal is reachable round door " + door + " of\n" + layout);
            }
            assertEquals(spec.keyDoorPairs(), layout.letters(), () -> "unexpected letters in\n" + layout);
        });
    }

    @Test
    void everyStartLiesBeforeTheFirstDoorAndOnFreeFloor() {
        qt().withFixedSeed(3L).withExamples(200).forAll(specs()).checkAssert(spec -> {
            Layout layout = LayoutGenerator.generate(spec);
            for (int start : layout.starts()) {
                assertEquals(Layout.FLOOR, layout.at(start), () -> "start " + start + " is not free floor in\n"
                        + layout);
            }
        });
    }

    @Test
    void theSameSpecGivesTheSameLayoutAndAnotherSeedUsuallyAnother() {
        LayoutSpec spec = new LayoutSpec(9, 2, 0.2, 0, 3.0, true, 42L);
        assertEquals(LayoutGenerator.generate(spec), LayoutGenerator.generate(spec));
        long distinct = java.util.stream.LongStream.range(0, 20)
                .mapToObj(seed -> LayoutGenerator.generate(new LayoutSpec(9, 2, 0.2, 0, 3.0, true, seed)).picture())
                .distinct().count();
        assertEquals(20, distinct);
    }

    @Test
    void withoutLoopsTheMazeHasOneRouteBetweenAnyTwoRoomsAndFullLoopsOpenEveryWall() {
        int rooms = 4 * 4;
        int wallsBetweenRooms = 2 * 4 * 3;
        for (long seed = 0; seed < 30; seed++) {
            Layout perfect = LayoutGenerator.generate(new LayoutSpec(9, 1, 0.0, 0, 3.0, true, seed));
            // A spanning tree over the rooms: each room but one is joined to the tree by one corridor cell.
            assertEquals(2 * rooms - 1, openCells(perfect), perfect::toString);
            // Without doors the whole maze is one region, where every wall between two rooms may go.
            Layout open = LayoutGenerator.generate(new LayoutSpec(9, 0, 1.0, 0, 3.0, true, seed));
            assertEquals(rooms + wallsBetweenRooms, openCells(open), open::toString);
        }
    }

    @Test
    void aFixedBudgetHoldsEveryStartsShortestSolution() {
        qt().withFixedSeed(4L).withExamples(100).forAll(longs().all()).checkAssert(seed -> {
            Layout layout = LayoutGenerator.generate(new LayoutSpec(7, 1, 0.1, 12, 3.0, true, seed));
            for (int start : layout.starts()) {
                assertTrue(Solver.solve(layout, start, 0).orElseThrow().size() <= 12, layout::toString);
            }
        });
    }

    @Test
    void refusesPairsThatDoNotFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayoutGenerator.generate(new LayoutSpec(5, 6, 0.0, 0, 3.0, true, 1L)));
        assertTrue(e.getMessage().contains("6 key/door pairs do not fit a 5x5 maze"), e.getMessage());
    }
}
