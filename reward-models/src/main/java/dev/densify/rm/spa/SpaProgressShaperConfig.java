package dev.densify.rm.spa;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;

/**
 * Keys of the {@code spa-progress} shaper (formulas.md, "Progress attribution (SPA-RL)").
 *
 * @param groundingBonus g_t on every step whose action the environment reports valid (its {@code Signals} say no
 *     invalid action); 0 turns the bonus off (and then the steps' signals are not needed)
 * @param features hashed text features per text (observation and action each), so the estimator reads twice as many
 * @param hidden width of the estimator's hidden layer
 * @param lr AdamW learning rate of the estimator
 * @param weightDecay AdamW decoupled weight decay of its matrices
 * @param epochs passes over each iteration's episodes per fit
 * @param batchEpisodes episodes per update
 * @param maxGradNorm global gradient norm clip of each update
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record SpaProgressShaperConfig(double groundingBonus, int features, int hidden, double lr, double weightDecay,
                                      int epochs, int batchEpisodes, double maxGradNorm) {
    public SpaProgressShaperConfig {
        Ranges.requireAtLeast("grounding_bonus", groundingBonus, 0);
        Ranges.requireBetween("features", features, 8, 65_536);
        Ranges.requireBetween("hidden", hidden, 1, 4096);
        Ranges.requirePositiveAtMost("lr", lr, 1);
        Ranges.requireBetween("weight_decay", weightDecay, 0, 10);
        Ranges.requireBetween("epochs", epochs, 1, 1000);
        Ranges.requireBetween("batch_episodes", batchEpisodes, 1, 100_000);
        Ranges.requirePositiveAtMost("max_grad_norm", maxGradNorm, 1e6);
    }

    public static SpaProgressShaperConfig defaults() {
        return PluginConfig.defaultsOf(SpaProgressShaperConfig.class, "shaper", "spa-progress");
    }
}
