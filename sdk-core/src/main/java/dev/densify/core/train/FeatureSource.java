package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.trajectory.Trajectory;
import java.util.List;

/** The frozen policy's view of states, for learned critics: hidden states over each prompt's final tokens. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface FeatureSource {
    /** The prompt token ids the policy would see for an observation opening an episode. */
    int[] promptTokens(String observation);

    /**
     * The prompt token ids the policy would see at the trajectory's final state s_T (with its history, when the
     * prompt shows one); the states before it have theirs in their steps.
     */
    default int[] finalPromptTokens(Trajectory trajectory) {
        return promptTokens(trajectory.finalObservation());
    }

    /** [state][token][dim] hidden states for each prompt. */
    float[][][] features(List<int[]> prompts);
}
