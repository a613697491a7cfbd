package dev.densify.core.train;

import dev.densify.api.API;
import java.util.List;

/** The frozen policy's view of states, for learned critics: hidden states over each prompt's final tokens. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface FeatureSource {
    /** The prompt token ids the policy would see for an observation. */
    int[] promptTokens(String observation);

    /** [state][token][dim] hidden states for each prompt. */
    float[][][] features(List<int[]> prompts);
}
