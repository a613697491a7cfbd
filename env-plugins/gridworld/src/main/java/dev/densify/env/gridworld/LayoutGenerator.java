package dev.densify.env.gridworld;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Generates a maze from a spec: carves a perfect maze, puts the doors on the one route from start to goal (so each
 * door must be opened), knocks out walls only within the regions between doors (so loops never bypass a door), and
 * hides each door's key before that door. Every layout is then checked with the {@link Solver} from every start;
 * an attempt that fails is retried with the next seed.
 */
final class LayoutGenerator {
    static final int ATTEMPTS = 200;

    private LayoutGenerator() {
    }

    /** The layout of the spec; the same spec always gives the same layout. */
    static Layout generate(LayoutSpec spec) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Layout> layout = attempt(spec, new Random(Seeds.mix(spec.layoutSeed(), attempt)));
            if (layout.isPresent() && solvableFromEveryStart(layout.get(), spec.stepBudget())) {
                return layout.get();
            }
        }
        throw new IllegalArgumentException(spec.keyDoorPairs() + " key/door pairs do not fit a " + spec.size() + "x"
                + spec.size() + " maze" + (spec.stepBudget() > 0 ? " within " + spec.stepBudget() + " steps" : "")
                + "; use fewer pairs, a larger size or a larger budget");
    }

    /** Whether the goal is reachable, within the budget when one is fixed, from every cell an episode may start at. */
    static boolean solvableFromEveryStart(Layout layout, int stepBudget) {
        for (int start : layout.starts()) {
            Optional<List<Move>> solution = Solver.solve(layout, start, 0);
            if (solution.isEmpty() || stepBudget > 0 && solution.get().size() > stepBudget) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Layout> attempt(LayoutSpec spec, Random random) {
        int n = spec.size();
        char[] cells = new char[n * n];
        Arrays.fill(cells, Layout.WALL);
        List<Integer> rooms = new ArrayList<>();
        for (int row = 1; row < n; row += 2) {
            for (int column = 1; column < n; column += 2) {
                rooms.add(row * n + column);
            }
        }
        carve(cells, n, rooms.get(random.nextInt(rooms.size())), random);

        int start = rooms.get(random.nextInt(rooms.size()));
        int[] parent = new int[cells.length];
        int[] distance = distances(cells, n, start, parent);
        int farthest = rooms.stream().mapToInt(r -> distance[r]).max().orElse(0);
        int pairs = spec.keyDoorPairs();
        // A route of d steps between rooms passes d / 2 corridor cells, one for each door.
        int least = Math.max(Math.max(2, 2 * pairs), (farthest + 1) / 2);
        List<Integer> goals = rooms.stream().filter(r -> distance[r] >= least).toList();
        if (goals.isEmpty()) {
            return Optional.empty();
        }
        int goal = goals.get(random.nextInt(goals.size()));
        List<Integer> route = route(parent, start, goal);

        List<Integer> corridors = new ArrayList<>();
        for (int i = 1; i < route.size(); i += 2) {
            corridors.add(i);
        }
        Collections.shuffle(corridors, random);
        List<Integer> doorSteps = new ArrayList<>(corridors.subList(0, pairs));
        Collections.sort(doorSteps);
        List<Character> letters = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            letters.add((char) ('a' + i));
        }
        Collections.shuffle(letters, random);
        for (int k = 0; k < pairs; k++) {
            cells[route.get(doorSteps.get(k))] = Character.toUpperCase(letters.get(k));
        }
        cells[goal] = Layout.GOAL;

        // Region k lies between the k-th and the (k+1)-th door along the route; region 0 holds the start.
        int[] region = new int[cells.length];
        Arrays.fill(region, -1);
        flood(cells, n, start, 0, region);
        for (int k = 0; k < pairs; k++) {
            flood(cells, n, route.get(doorSteps.get(k) + 1), k + 1, region);
        }
        openLoops(cells, n, region, spec.loops(), random);

        for (int k = 0; k < pairs; k++) {
            int door = k + 1;
            List<Integer> hidingPlaces = new ArrayList<>();
            for (int pos = 0; pos < cells.length; pos++) {
                if (cells[pos] == Layout.FLOOR && region[pos] >= 0 && region[pos] < door && pos != start) {
                    hidingPlaces.add(pos);
                }
            }
            if (hidingPlaces.isEmpty()) {
                return Optional.empty();
            }
            cells[hidingPlaces.get(random.nextInt(hidingPlaces.size()))] = letters.get(k);
        }

        List<Integer> starts = new ArrayList<>(List.of(start));
        for (int pos = 0; pos < cells.length; pos++) {
            if (cells[pos] == Layout.FLOOR && region[pos] == 0 && pos != start) {
                starts.add(pos);
            }
        }
        return Optional.of(new Layout(n, cells, starts.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** A perfect maze over the rooms (odd rows and columns): one route between any two, by a random depth-first walk. */
    private static void carve(char[] cells, int n, int first, Random random) {
        int[] steps = {-2 * n, 2 * n, -2, 2};
        List<Integer> stack = new ArrayList<>(List.of(first));
        cells[first] = Layout.FLOOR;
        while (!stack.isEmpty()) {
            int room = stack.get(stack.size() - 1);
            List<Integer> unvisited = new ArrayList<>();
            for (int step : steps) {
                int next = room + step;
                if (inside(room, next, n) && cells[next] == Layout.WALL) {
                    unvisited.add(next);
                }
            }
            if (unvisited.isEmpty()) {
                stack.remove(stack.size() - 1);
                continue;
            }
            int next = unvisited.get(random.nextInt(unvisited.size()));
            cells[(room + next) / 2] = Layout.FLOOR;
            cells[next] = Layout.FLOOR;
            stack.add(next);
        }
    }

    /** Whether a room two cells away stays inside the outer wall, on the same row for a sideways step. */
    private static boolean inside(int room, int next, int n) {
        int row = next / n;
        int column = next % n;
        boolean sameRowOrColumn = row == room / n || column == room % n;
        return next > 0 && next < n * n && sameRowOrColumn && row >= 1 && row <= n - 2 && column >= 1
                && column <= n - 2;
    }

    private static int[] distances(char[] cells, int n, int start, int[] parent) {
        int[] distance = new int[cells.length];
        Arrays.fill(distance, -1);
        Arrays.fill(parent, -1);
        int[] queue = new int[cells.length];
        int head = 0;
        int tail = 0;
        distance[start] = 0;
        queue[tail++] = start;
        while (head < tail) {
            int pos = queue[head++];
            for (int next : new int[] {pos - n, pos + n, pos - 1, pos + 1}) {
                if (cells[next] != Layout.WALL && distance[next] < 0) {
                    distance[next] = distance[pos] + 1;
                    parent[next] = pos;
                    queue[tail++] = next;
                }
            }
        }
        return distance;
    }

    private static List<Integer> route(int[] parent, int start, int goal) {
        List<Integer> route = new ArrayList<>();
        for (int pos = goal; pos != start; pos = parent[pos]) {
            route.add(pos);
        }
        route.add(start);
        Collections.reverse(route);
        return route;
    }

    /** Marks the open cells reachable from {@code from} without crossing a door. */
    private static void flood(char[] cells, int n, int from, int mark, int[] region) {
        List<Integer> queue = new ArrayList<>(List.of(from));
        region[from] = mark;
        for (int i = 0; i < queue.size(); i++) {
            int pos = queue.get(i);
            for (int next : new int[] {pos - n, pos + n, pos - 1, pos + 1}) {
                if (cells[next] != Layout.WALL && !Layout.isDoor(cells[next]) && region[next] < 0) {
                    region[next] = mark;
                    queue.add(next);
                }
            }
        }
    }

    /** Knocks out a share of the walls between two rooms of the same region, which never opens a way round a door. */
    private static void openLoops(char[] cells, int n, int[] region, double share, Random random) {
        List<Integer> candidates = new ArrayList<>();
        for (int row = 1; row < n - 1; row++) {
            for (int column = 1; column < n - 1; column++) {
                int pos = row * n + column;
                if (cells[pos] != Layout.WALL || row % 2 == column % 2) {
                    continue;
                }
                int side = row % 2 == 1 ? 1 : n;
                int a = region[pos - side];
                if (a >= 0 && a == region[pos + side]) {
                    candidates.add(pos);
                }
            }
        }
        Collections.shuffle(candidates, random);
        int opened = (int) Math.round(share * candidates.size());
        for (int pos : candidates.subList(0, opened)) {
            cells[pos] = Layout.FLOOR;
            region[pos] = region[pos + (pos / n % 2 == 1 ? 1 : n)];
        }
    }
}
