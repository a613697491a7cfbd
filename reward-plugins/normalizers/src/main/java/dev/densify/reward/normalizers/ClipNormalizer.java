package dev.densify.reward.normalizers;

import dev.densify.api.API;
import dev.densify.api.reward.GroupedRewards;
import dev.densify.api.reward.Normalizer;
import java.util.List;
import java.util.Objects;

/** Clamps every reward to [min, max], so no synthesized reward can outweigh the range the outcome lives in. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ClipNormalizer implements Normalizer {
    private final ClipNormalizerConfig config;

    public ClipNormalizer(ClipNormalizerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public List<double[]> normalize(List<GroupedRewards> batch) {
        return Batches.checked(batch).stream().map(e -> clamp(e.rewards())).toList();
    }

    private double[] clamp(double[] rewards) {
        double[] out = new double[rewards.length];
        for (int t = 0; t < rewards.length; t++) {
            out[t] = Math.max(config.min(), Math.min(config.max(), rewards[t]));
        }
        return out;
    }
}
