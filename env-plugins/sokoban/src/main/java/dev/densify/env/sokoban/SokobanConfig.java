package dev.densify.env.sokoban;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;

/**
 * The Sokoban environment's configuration, bound from the {@code env} node; every key and its default is in
 * {@code META-INF/densify/env/sokoban.yaml}.
 *
 * @param size             side of the square room including its outer wall, from 5 to 9
 * @param minBoxes         fewest boxes of a training or held-out room
 * @param maxBoxes         most boxes of a training or held-out room (each room draws its number in between)
 * @param wallFraction     share of the inner cells that become walls, from 0 to 0.4 (the floor stays connected)
 * @param reverseMoves     steps of reverse play that scatter the boxes from their goals; more make harder rooms
 * @param stepBudget       moves an episode may take; 0 sets it per episode to {@code budgetFactor} times the optimal
 * @param budgetFactor     the budget as a multiple of the optimal number of moves, when {@code stepBudget} is 0
 * @param randomStart      whether the reset seed draws the player's start among the cells it can walk to
 * @param trainTasks       number of training rooms
 * @param heldOutTasks     number of held-out rooms as hard as the training ones
 * @param harderTasks      number of held-out rooms that are bigger and hold more boxes
 * @param harderExtraSize  how much bigger harder rooms are
 * @param harderExtraBoxes how many more boxes harder rooms hold than {@code maxBoxes}
 * @param endOnDeadEnd     whether reaching a dead end ends the episode (a failure) rather than going on with the
 *                         invalid-state signal until the budget runs out
 * @param proveDeadEnds    whether the solver searches for dead ends the two patterns miss, after every push
 * @param seed             seeds the generation of all task sets
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record SokobanConfig(int size, int minBoxes, int maxBoxes, double wallFraction, int reverseMoves,
                            int stepBudget, double budgetFactor, boolean randomStart, int trainTasks, int heldOutTasks,
                            int harderTasks, int harderExtraSize, int harderExtraBoxes, boolean endOnDeadEnd,
                            boolean proveDeadEnds, long seed) {

    static final int MIN_SIZE = 5;
    static final int MAX_SIZE = 9;
    static final int MAX_BOXES = 6;

    public static SokobanConfig defaults() {
        return PluginConfig.defaultsOf(SokobanConfig.class, "env", "sokoban");
    }

    /** Binds and checks the node, naming the offending key by its full path. */
    public static SokobanConfig from(PluginConfig node) {
        SokobanConfig config = node.bind(SokobanConfig.class);
        config.check(node.path().isEmpty() ? "" : node.path() + ".");
        return config;
    }

    private void check(String at) {
        Ranges.requireBetween(at + "size", size, MIN_SIZE, MAX_SIZE);
        if (minBoxes < 1 || minBoxes > maxBoxes) {
            throw new ConfigException(at + "min_boxes", minBoxes + " is out of range [1, max_boxes=" + maxBoxes + "]");
        }
        if (maxBoxes > MAX_BOXES) {
            throw new ConfigException(at + "max_boxes", maxBoxes + " is out of range [min_boxes, " + MAX_BOXES + "]");
        }
        Ranges.requireBetween(at + "wall_fraction", wallFraction, 0, 0.4);
        Ranges.requireBetween(at + "reverse_moves", reverseMoves, 1, 10_000);
        Ranges.requireStepBudget(at, stepBudget, budgetFactor);
        Ranges.requireTaskCounts(at, trainTasks, heldOutTasks, harderTasks);
        if (harderExtraSize < 0 || size + harderExtraSize > MAX_SIZE) {
            throw new ConfigException(at + "harder_extra_size", harderExtraSize + " is out of range [0, "
                    + (MAX_SIZE - size) + "] (harder rooms are at most " + MAX_SIZE + " wide)");
        }
        if (harderExtraBoxes < 0 || maxBoxes + harderExtraBoxes > MAX_BOXES) {
            throw new ConfigException(at + "harder_extra_boxes", harderExtraBoxes + " is out of range [0, "
                    + (MAX_BOXES - maxBoxes) + "] (harder rooms hold at most " + MAX_BOXES + " boxes)");
        }
        if (harderTasks > 0 && harderExtraSize == 0 && harderExtraBoxes == 0) {
            throw new ConfigException(at + "harder_extra_size", "harder tasks need harder_extra_size or "
                    + "harder_extra_boxes above 0, else they are no harder");
        }
    }
}
