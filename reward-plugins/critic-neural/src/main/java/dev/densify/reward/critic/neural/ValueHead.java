package dev.densify.reward.critic.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The network half of a neural critic: which parameters it has and how it maps a batch of states' feature rows
 * to one standardised value per state. Training, standardisation and state handling live in
 * {@link NeuralCritic}; every head ends in a dense layer named {@link #OUTPUT} of width 1, which the critic
 * rescales when the target statistics change.
 */
interface ValueHead {

    /** Name of the final dense layer (hidden -> 1). */
    String OUTPUT = "out";

    /** The head's kind and every setting that shapes its function; a saved state must match it. */
    String architecture();

    /** Fresh parameters for features of width {@code inputDim}, drawn from {@code random}. */
    Parameters initialise(int inputDim, Random random);

    /**
     * What {@link #forward} reads of one state, computed once per state and fit rather than in every step that
     * draws it (a fit passes over its states many times; pooling them each time was most of its cost).
     *
     * @param rows the state's standardised feature rows, oldest first, the last row at the prompt's end
     */
    default float[][] prepare(float[][] rows) {
        return rows;
    }

    /**
     * Standardised values [N] for N states.
     *
     * @param manager where input arrays are created (closed by the caller after the step)
     * @param parameters the head's tensors by name
     * @param rows per state what {@link #prepare} made of its standardised feature rows
     * @param dropout {@link Dropout#OFF} when evaluating
     */
    NDArray forward(NDManager manager, Map<String, NDArray> parameters, List<float[][]> rows, Dropout dropout);
}
