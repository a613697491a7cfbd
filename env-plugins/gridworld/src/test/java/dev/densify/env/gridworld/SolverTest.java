package dev.densify.env.gridworld;

import static dev.densify.env.gridworld.Move.DOWN;
import static dev.densify.env.gridworld.Move.LEFT;
import static dev.densify.env.gridworld.Move.RIGHT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SolverTest {

    private static int length(Layout layout) {
        return Solver.solve(layout, layout.canonicalStart(), 0).orElseThrow().size();
    }

    @Test
    void walksTheShortestWayInAnOpenRoom() {
        Layout room = Mazes.parse(
                "#####",
                "#@..#",
                "#...#",
                "#..G#",
                "#####");
        assertEquals(4, length(room));
    }

    @Test
    void followsTheOnlyRouteOfAMaze() {
        Layout maze = Mazes.parse(
                "#######",
                "#@....#",
                "#####.#",
                "#G....#",
                "#######",
                "#######",
                "#######");
        assertEquals(List.of(RIGHT, RIGHT, RIGHT, RIGHT, DOWN, DOWN, LEFT, LEFT, LEFT, LEFT),
                Solver.solve(maze, maze.canonicalStart(), 0).orElseThrow());
    }

    @Test
    void fetchesTheKeyFromADeadEndBeforeTheDoor() {
        Layout maze = Mazes.parse(
                "#######",
                "#a#...#",
                "#.#.#.#",
                "#@..#A#",
                "#####.#",
                "#G....#",
                "#######");
        // up, up to the key; down, down back; then 2 right, 2 up, 2 right, 4 down, 4 left.
        assertEquals(4 + 2 + 2 + 2 + 4 + 4, length(maze));
    }

    @Test
    void takesTheKeysInTheOrderTheDoorsNeedThem() {
        Layout maze = Mazes.parse(
                "#########",
                "#@.A.B.G#",
                "#.##.####",
                "#a##b####",
                "#########",
                "#########",
                "#########",
                "#########",
                "#########");
        // a: down 2 and back (4); through A to b's corridor (3); b: down 2 and back (4); through B to G (3).
        assertEquals(4 + 3 + 4 + 3, length(maze));
    }

    @Test
    void usesTheKeysAlreadyHeld() {
        Layout maze = Mazes.parse(
                "#######",
                "#a#...#",
                "#.#.#.#",
                "#@..#A#",
                "#####.#",
                "#G....#",
                "#######");
        assertEquals(14, Solver.solve(maze, maze.canonicalStart(), Layout.bit('a')).orElseThrow().size());
    }

    @Test
    void findsNothingWhenAKeyIsLockedBehindItsOwnDoor() {
        Layout maze = Mazes.parse(
                "#####",
                "#@A.#",
                "###a#",
                "#G..#",
                "#####");
        assertEquals(Optional.empty(), Solver.solve(maze, maze.canonicalStart(), 0));
    }

    @Test
    void takesADetourRatherThanALockedDoorItCannotOpen() {
        Layout maze = Mazes.parse(
                "#####",
                "#@B.#",
                "#.#.#",
                "#..G#",
                "#####");
        assertEquals(List.of(DOWN, DOWN, RIGHT, RIGHT), Solver.solve(maze, maze.canonicalStart(), 0).orElseThrow());
    }

    @Test
    void isAlreadyThereAtTheGoal() {
        Layout maze = Mazes.parse(
                "#####",
                "#@..#",
                "#...#",
                "#..G#",
                "#####");
        assertTrue(Solver.solve(maze, Mazes.at(maze, 3, 3), 0).orElseThrow().isEmpty());
    }
}
