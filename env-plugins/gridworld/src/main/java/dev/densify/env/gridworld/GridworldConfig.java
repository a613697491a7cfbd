package dev.densify.env.gridworld;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;

/**
 * The gridworld's configuration, bound from the {@code env} node; every key and its default is also listed in
 * {@code META-INF/densify/env/gridworld.yaml}.
 *
 * @param size             side of the square maze including its outer wall; odd, from 5 to 25
 * @param keyDoorPairs     doors across the route to the goal, each opened by the key of its letter; 0 to 6
 * @param loops            fraction, from 0 to 1, of inner walls knocked out to add routes (0 keeps one route)
 * @param stepBudget       steps an episode may take; 0 sets it per episode to {@code budgetFactor} times the optimal
 * @param budgetFactor     the budget as a multiple of the optimal number of steps, when {@code stepBudget} is 0
 * @param randomStart      whether the reset seed draws the start among the cells before the first door
 * @param trainTasks       number of training layouts
 * @param heldOutTasks     number of held-out layouts as hard as the training ones
 * @param harderTasks      number of held-out layouts that are harder than the training ones
 * @param harderExtraSize  how much bigger harder layouts are; even
 * @param harderExtraPairs how many more key/door pairs harder layouts have
 * @param seed             seeds the generation of all task sets
 * @param view             what the agent reads: the whole maze ({@code grid}) or its four neighbours and the
 *                         offsets to the goal, the keys it lacks and the doors still closed ({@code local} in
 *                         words, {@code compact} in symbols and initials, about a quarter of the tokens); all
 *                         describe the same state, the egocentric ones without 2-D parsing
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record GridworldConfig(int size, int keyDoorPairs, double loops, int stepBudget, double budgetFactor,
                              boolean randomStart, int trainTasks, int heldOutTasks, int harderTasks,
                              int harderExtraSize, int harderExtraPairs, long seed, View view) {

    /** What the agent reads. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public enum View { GRID, LOCAL, COMPACT }

    static final int MAX_SIZE = 25;
    static final int MAX_PAIRS = Layout.LETTERS;

    public static GridworldConfig defaults() {
        return PluginConfig.defaultsOf(GridworldConfig.class, "env", "gridworld");
    }

    /** Binds and checks the node, naming the offending key by its full path. */
    public static GridworldConfig from(PluginConfig node) {
        GridworldConfig config = node.bind(GridworldConfig.class);
        config.check(node.path());
        return config;
    }

    private void check(String path) {
        String at = path.isEmpty() ? "" : path + ".";
        if (size % 2 == 0 || size < 5 || size > MAX_SIZE) {
            throw new ConfigException(at + "size", size + " is not allowed; expected an odd number from 5 to " + MAX_SIZE);
        }
        Ranges.requireBetween(at + "key_door_pairs", keyDoorPairs, 0, MAX_PAIRS);
        Ranges.requireBetween(at + "loops", loops, 0, 1);
        Ranges.requireStepBudget(at, stepBudget, budgetFactor);
        Ranges.requireTaskCounts(at, trainTasks, heldOutTasks, harderTasks);
        if (harderExtraSize < 0 || harderExtraSize % 2 != 0 || size + harderExtraSize > MAX_SIZE) {
            throw new ConfigException(at + "harder_extra_size", harderExtraSize + " is not allowed; expected an even "
                    + "number from 0 to " + (MAX_SIZE - size) + " (harder mazes are at most " + MAX_SIZE + " wide)");
        }
        if (harderExtraPairs < 0 || keyDoorPairs + harderExtraPairs > MAX_PAIRS) {
            throw new ConfigException(at + "harder_extra_pairs", harderExtraPairs + " is out of range [0, "
                    + (MAX_PAIRS - keyDoorPairs) + "] (harder mazes have at most " + MAX_PAIRS + " pairs)");
        }
        if (harderTasks > 0 && harderExtraSize == 0 && harderExtraPairs == 0) {
            throw new ConfigException(at + "harder_extra_size", "harder tasks need harder_extra_size or "
                    + "harder_extra_pairs above 0, else they are no harder");
        }
    }
}
