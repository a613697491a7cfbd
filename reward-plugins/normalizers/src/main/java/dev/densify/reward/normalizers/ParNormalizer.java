package dev.densify.reward.normalizers;

import dev.densify.api.API;
import dev.densify.api.reward.GroupedRewards;
import dev.densify.api.reward.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Preference as reward (PAR): r' = (1/K) sum_k sigmoid(r - ref_k), where the K reference scores are all step
 * rewards of the episode's group (the episodes of the same task), the reward itself included. Each reward becomes
 * the soft fraction of its group it beats: bounded in (0, 1), unchanged by any shift of the whole group, ordered
 * like the raw rewards, and with group mean exactly 1/2; so no single reward, however large, can dominate.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ParNormalizer implements Normalizer {
    private final ParNormalizerConfig config;

    public ParNormalizer(ParNormalizerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public List<double[]> normalize(List<GroupedRewards> batch) {
        Batches.checked(batch);
        List<double[]> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(null);
        }
        double offset = config.center() ? 0.5 : 0;
        for (List<Integer> group : Batches.byGroup(batch).values()) {
            double[] references = group.stream().flatMapToDouble(i -> Arrays.stream(batch.get(i).rewards())).toArray();
            for (int index : group) {
                double[] rewards = batch.get(index).rewards();
                double[] preferences = new double[rewards.length];
                for (int t = 0; t < rewards.length; t++) {
                    double sum = 0;
                    for (double reference : references) {
                        sum += sigmoid(rewards[t] - reference);
                    }
                    preferences[t] = sum / references.length - offset;
                }
                out.set(index, preferences);
            }
        }
        return out;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
