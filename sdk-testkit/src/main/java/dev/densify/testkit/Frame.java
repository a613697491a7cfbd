package dev.densify.testkit;

import dev.densify.api.env.Environment;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.StepResult;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an environment showed at one point of an episode: what a second run through the same actions, a fork
 * or a state with the same key must reproduce exactly.
 */
record Frame(Observation observation, double reward, boolean done, Map<String, String> info, String render,
             Outcome score) {

    static Frame afterReset(Observation observation, Environment env) {
        if (observation == null) {
            throw new AssertionError("reset returned no observation");
        }
        return new Frame(observation, 0.0, false, Map.of(), renderOf(env), scoreOf(env));
    }

    static Frame afterStep(String action, StepResult result, Environment env) {
        if (result == null) {
            throw new AssertionError("step(\"" + action + "\") returned no result");
        }
        return new Frame(result.observation(), result.reward(), result.done(), result.info(), renderOf(env),
                scoreOf(env));
    }

    private static String renderOf(Environment env) {
        return Objects.requireNonNull(env.render(), "render() returned null");
    }

    private static Outcome scoreOf(Environment env) {
        return Objects.requireNonNull(env.score(), "score() returned null");
    }

    /** The first part in which the two frames differ, or null when they are equal. */
    String differenceFrom(Frame other) {
        if (Double.compare(reward, other.reward) != 0) {
            return "reward differs: " + reward + " versus " + other.reward;
        }
        if (!info.equals(other.info)) {
            return "info differs: " + info + " versus " + other.info;
        }
        return stateDifferenceFrom(other);
    }

    /**
     * The first part of the state in which the two frames differ, or null when they show the same state. Reward and
     * info belong to the step that led here, not to the state, and may differ between two ways into one state.
     */
    String stateDifferenceFrom(Frame other) {
        if (!observation.text().equals(other.observation.text())) {
            return "observation text differs:\n" + observation.text() + "\n--- versus ---\n" + other.observation.text();
        }
        if (!observation.stateKey().equals(other.observation.stateKey())) {
            return "state key differs: " + observation.stateKey() + " versus " + other.observation.stateKey();
        }
        if (!observation.admissibleActions().equals(other.observation.admissibleActions())) {
            return "admissible actions differ: " + observation.admissibleActions() + " versus "
                    + other.observation.admissibleActions();
        }
        if (done != other.done) {
            return "done differs: " + done + " versus " + other.done;
        }
        if (!render.equals(other.render)) {
            return "render differs:\n" + render + "\n--- versus ---\n" + other.render;
        }
        if (!score.equals(other.score)) {
            return "score differs: " + score + " versus " + other.score;
        }
        return null;
    }
}
