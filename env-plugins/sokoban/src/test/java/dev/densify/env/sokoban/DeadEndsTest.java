package dev.densify.env.sokoban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.api.env.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadEndsTest {

    private static long startOf(Room room) {
        return room.start(room.startPlayer());
    }

    @Test
    void aBoxInACornerOffGoalIsADeadEnd() {
        Room room = Room.parse("""
                ######
                #$___#
                #____#
                #__@_#
                #___.#
                ######""");
        assertTrue(DeadEnds.obvious(room, startOf(room)));
        assertEquals(Solver.Verdict.UNSOLVABLE, Solver.solve(room, startOf(room)).verdict());
    }

    @Test
    void aBoxAlongAWallWithoutAGoalIsADeadEndAndWithOneItIsNot() {
        Room along = Room.parse("""
                ######
                #_$__#
                #____#
                #__@_#
                #___.#
                ######""");
        assertTrue(DeadEnds.obvious(along, startOf(along)));
        Room goalOnWall = Room.parse("""
                ######
                #_$_.#
                #____#
                #__@_#
                #____#
                ######""");
        assertFalse(DeadEnds.detect(goalOnWall, startOf(goalOnWall), Solver.DEFAULT_LIMIT));
        assertTrue(Solver.solve(goalOnWall, startOf(goalOnWall)).solved());
    }

    @Test
    void aFrozenBlockOfBoxesIsADeadEnd() {
        Room room = Room.parse("""
                #######
                #_____#
                #_$$__#
                #_$$_@#
                #.._..#
                #_____#
                #######""");
        assertFalse((Room.boxes(startOf(room)) & room.deadSquareMask()) != 0, "no box is on a dead square");
        assertTrue(DeadEnds.obvious(room, startOf(room)));
    }

    @Test
    void theSolverProvesDeadEndsThatNoPatternShows() {
        // Two boxes along the top wall with one goal there: neither can leave the wall, and only one fits its goal.
        Room room = Room.parse("""
                #######
                #_$_$.#
                #_____#
                #__@__#
                #_____#
                #____.#
                #######""");
        long start = startOf(room);
        assertFalse(DeadEnds.obvious(room, start));
        assertTrue(DeadEnds.detect(room, start, Solver.DEFAULT_LIMIT));
        assertFalse(DeadEnds.detect(room, start, 1), "a search too short to prove it reports nothing");
    }

    /** From a generated room, random moves; every state on the way. */
    @Test
    void aDeadEndIsNeverSolvableAndEveryStateTheSolverCannotSolveIsReportedDead() {
        List<Task> tasks = Rooms.all();
        int[] seen = new int[3];
        qt().withFixedSeed(11L).withExamples(150)
                .forAll(integers().between(0, tasks.size() - 1), lists().of(integers().between(0, 3))
                        .ofSizeBetween(0, 60))
                .checkAssert((index, moves) -> {
                    Room room = Rooms.of(tasks.get(index));
                    long position = startOf(room);
                    for (int m : moves) {
                        position = Walk.move(room, position, Move.values()[m]);
                        Solver.Result result = Solver.solve(room, position);
                        boolean dead = DeadEnds.detect(room, position, Solver.DEFAULT_LIMIT);
                        String where = room.picture(position);
                        seen[0] += dead ? 1 : 0;
                        seen[1] += dead && !DeadEnds.obvious(room, position) ? 1 : 0;
                        seen[2] += result.solved() ? 1 : 0;
                        if (DeadEnds.obvious(room, position) || dead) {
                            assertFalse(result.solved(), () -> "reported dead but solvable:\n" + where);
                        }
                        if (result.verdict() == Solver.Verdict.UNSOLVABLE) {
                            assertTrue(dead, () -> "unsolvable but not reported dead:\n" + where);
                        }
                        if (result.solved()) {
                            assertTrue(room.solved(Walk.follow(room, position, result.moves())),
                                    () -> "the solution " + result.moves() + " does not solve\n" + where);
                        }
                    }
                });
        // The walks must meet every case, else the checks above check nothing.
        assertTrue(seen[0] > 0 && seen[1] > 0 && seen[2] > 0, () -> java.util.Arrays.toString(seen));
    }
}
