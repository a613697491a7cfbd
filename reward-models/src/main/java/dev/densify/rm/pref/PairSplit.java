package dev.densify.rm.pref;

import dev.densify.api.API;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Training and held-out pairs. Split by task, so that no task has pairs on both sides: a model cannot score well
 * on held-out pairs by recognising their task. The held-out tasks are a seeded draw of {@code fraction} of the
 * tasks (at least one, and at least one left for training).
 *
 * @param heldOutTasks the tasks whose pairs are held out
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record PairSplit(List<PreferencePair> train, List<PreferencePair> heldOut, Set<String> heldOutTasks) {
    public PairSplit {
        train = List.copyOf(train);
        heldOut = List.copyOf(heldOut);
        heldOutTasks = Collections.unmodifiableSet(new TreeSet<>(heldOutTasks));
    }

    /**
     * @throws IllegalArgumentException when the pairs hold fewer than two tasks (a split by task is then
     *     impossible) or the fraction is outside (0, 1)
     */
    public static PairSplit byTask(List<PreferencePair> pairs, double fraction, long seed) {
        Objects.requireNonNull(pairs, "pairs");
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("the held-out fraction must be in (0, 1), got " + fraction);
        }
        List<String> tasks = new ArrayList<>(new TreeSet<>(pairs.stream().map(PreferencePair::task).toList()));
        if (tasks.size() < 2) {
            throw new IllegalArgumentException("a held-out split by task needs pairs of at least 2 tasks, got "
                    + tasks.size() + " " + tasks + "; pairs of one task cannot be held out without it on both sides");
        }
        Collections.shuffle(tasks, new Random(seed));
        int heldOut = Math.max(1, Math.min(tasks.size() - 1, (int) Math.round(fraction * tasks.size())));
        Set<String> held = new TreeSet<>(tasks.subList(0, heldOut));
        List<PreferencePair> train = new ArrayList<>();
        List<PreferencePair> test = new ArrayList<>();
        pairs.forEach(p -> (held.contains(p.task()) ? test : train).add(p));
        return new PairSplit(train, test, held);
    }
}
