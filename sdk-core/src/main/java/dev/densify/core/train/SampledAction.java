package dev.densify.core.train;

import dev.densify.api.API;

/**
 * What the policy generated for one observation: the exact prompt token ids it was fed, the generated token ids
 * and their log-probabilities under the sampling distribution, and the action parsed from the generated text.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record SampledAction(int[] promptTokenIds, int[] tokenIds, float[] logProbs, String action) {}
