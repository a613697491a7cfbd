package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.core.model.LlamaModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Critic features from a frozen model, computed once per distinct prompt. Because the model never changes, a
 * state's features never change either, so they are cached (least recently used first out). Each prompt runs
 * through the model on its own, never padded into a batch: its features are then a function of its tokens alone,
 * the same whichever states happened to be computed with it, and a resumed run sees exactly the values an
 * uninterrupted one saw.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class FrozenFeatures implements FeatureSource {
    private final LlamaModel frozen;
    private final FeatureSource prompts;
    private final int featureTokens;
    private final Map<Key, float[][]> cache;

    /**
     * @param frozen the model whose hidden states are the features; it must not be trained while this is used
     * @param prompts how observations become prompt tokens (the policy's own prompt)
     * @param capacity most prompts whose features are kept
     */
    public FrozenFeatures(LlamaModel frozen, FeatureSource prompts, int featureTokens, int capacity) {
        this.frozen = Objects.requireNonNull(frozen, "frozen");
        this.prompts = Objects.requireNonNull(prompts, "prompts");
        if (featureTokens <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("featureTokens and capacity must be positive");
        }
        this.featureTokens = featureTokens;
        this.cache = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, float[][]> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public int[] promptTokens(String observation) {
        return prompts.promptTokens(observation);
    }

    @Override
    public int[] finalPromptTokens(dev.densify.api.trajectory.Trajectory trajectory) {
        return prompts.finalPromptTokens(trajectory);
    }

    @Override
    public synchronized float[][][] features(List<int[]> sequences) {
        float[][][] out = new float[sequences.size()][][];
        Map<Key, List<Integer>> missing = new LinkedHashMap<>();
        for (int i = 0; i < sequences.size(); i++) {
            Key key = new Key(sequences.get(i));
            float[][] f = cache.get(key);
            if (f == null) {
                missing.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            } else {
                out[i] = f;
            }
        }
        if (!missing.isEmpty()) {
            List<Key> keys = new ArrayList<>(missing.keySet());
            float[][][] computed = frozen.featuresOneByOne(keys.stream().map(Key::tokens).toList(), featureTokens);
            for (int k = 0; k < keys.size(); k++) {
                cache.put(keys.get(k), computed[k]);
                for (int i : missing.get(keys.get(k))) {
                    out[i] = computed[k];
                }
            }
        }
        return out;
    }

    /** A prompt's tokens as a map key (arrays compare by identity). */
    private record Key(int[] tokens, int hash) {
        Key(int[] tokens) {
            this(tokens, Arrays.hashCode(tokens));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && k.hash == hash && Arrays.equals(k.tokens, tokens);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
