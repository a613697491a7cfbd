package dev.densify.core.model;

import dev.densify.api.API;
import java.util.List;
import java.util.Objects;

/**
 * How to pick each next token.
 *
 * @param maxNewTokens most tokens to generate per prompt
 * @param temperature 0 for greedy decoding, otherwise logits are divided by it before the softmax
 * @param topK keep only the k most likely tokens; 0 keeps all
 * @param topP keep the smallest set of most likely tokens whose probability reaches topP (nucleus); 1 keeps all
 * @param stopStrings generation ends once the generated text contains one of them
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record SamplingOptions(int maxNewTokens, double temperature, int topK, double topP, List<String> stopStrings) {
    public SamplingOptions {
        Objects.requireNonNull(stopStrings, "stopStrings");
        stopStrings = List.copyOf(stopStrings);
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("maxNewTokens must be positive, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be 0 (greedy) or positive, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be 0 (off) or positive, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (stopStrings.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("stop strings must not be empty");
        }
    }

    /** Always the most likely token. */
    public static SamplingOptions greedy(int maxNewTokens) {
        return new SamplingOptions(maxNewTokens, 0, 0, 1, List.of());
    }

    /** Plain sampling from the softmax at the given temperature, no top-k or top-p filter. */
    public static SamplingOptions sampling(int maxNewTokens, double temperature) {
        return new SamplingOptions(maxNewTokens, temperature, 0, 1, List.of());
    }

    public SamplingOptions withStopStrings(List<String> strings) {
        return new SamplingOptions(maxNewTokens, temperature, topK, topP, strings);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
