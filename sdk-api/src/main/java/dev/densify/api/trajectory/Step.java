package dev.densify.api.trajectory;

import dev.densify.api.API;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One agent step as it happened: the observation the policy saw (as text and as the exact prompt token ids),
 * the action it generated (as text, token ids and their log-probabilities under the sampling policy), the
 * state it acted in (and its anchor key, see {@code Observation}) and the reward the environment gave. Training uses these token ids, never re-tokenised text.
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Step(
        String observation,
        String stateKey,
        String rendered,
        int[] promptTokenIds,
        String action,
        int[] actionTokenIds,
        float[] actionLogProbs,
        double reward,
        boolean done,
        Map<String, String> info,
        String anchorKey) {

    /** A step whose anchor key is its state key (the form of densify 0.1). */
    public Step(String observation, String stateKey, String rendered, int[] promptTokenIds, String action,
                int[] actionTokenIds, float[] actionLogProbs, double reward, boolean done, Map<String, String> info) {
        this(observation, stateKey, rendered, promptTokenIds, action, actionTokenIds, actionLogProbs, reward, done, info,
                stateKey);
    }

    public Step {
        Objects.requireNonNull(observation, "observation");
        Objects.requireNonNull(stateKey, "stateKey");
        Objects.requireNonNull(rendered, "rendered");
        Objects.requireNonNull(promptTokenIds, "promptTokenIds");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actionTokenIds, "actionTokenIds");
        Objects.requireNonNull(actionLogProbs, "actionLogProbs");
        info = Map.copyOf(Objects.requireNonNull(info, "info"));
        Objects.requireNonNull(anchorKey, "anchorKey");
        if (actionTokenIds.length != actionLogProbs.length) {
            throw new IllegalArgumentException("actionTokenIds (" + actionTokenIds.length
                    + ") and actionLogProbs (" + actionLogProbs.length + ") differ in length");
        }
    }

    // Arrays compare by content: two steps are equal when they hold the same tokens and numbers.
    @Override
    public boolean equals(Object o) {
        return o instanceof Step s
                && observation.equals(s.observation) && stateKey.equals(s.stateKey) && rendered.equals(s.rendered)
                && Arrays.equals(promptTokenIds, s.promptTokenIds) && action.equals(s.action)
                && Arrays.equals(actionTokenIds, s.actionTokenIds) && Arrays.equals(actionLogProbs, s.actionLogProbs)
                && Double.compare(reward, s.reward) == 0 && done == s.done && info.equals(s.info)
                && anchorKey.equals(s.anchorKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observation, stateKey, Arrays.hashCode(promptTokenIds), action,
                Arrays.hashCode(actionTokenIds), Arrays.hashCode(actionLogProbs), reward, done);
    }

    @Override
    public String toString() {
        return "Step[stateKey=" + stateKey + ", action=" + action + ", tokens=" + actionTokenIds.length
                + ", reward=" + reward + ", done=" + done + "]";
    }
}
