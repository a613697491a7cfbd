package dev.densify.rm.shaper;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;
import java.util.Objects;

/**
 * Keys of the {@code reward-model} shaper: r'_t = r_t + weight * refine(m)_t, where m_t is the trained model's score
 * of step t.
 *
 * @param model the trained model: a folder (or file) written by {@code densify rm logs fit} ({@code logs-model.json})
 *     or by {@code densify rm train} (its {@code --out} folder, or the {@code model/} folder in it); required
 * @param refine Gao et al.'s (2024) refinement of the scores: {@code none}, {@code clip} (min(m_t - eta, 0)),
 *     {@code delta} (m_t - m_{t+1}, 0 on the last step) or {@code clip-delta} (clip, then delta)
 * @param eta the clip threshold
 * @param weight the scale of the refined model reward added to the incoming step reward
 * @param module the head that scores the steps, for preference models (ignored by logs models)
 * @param onError what a failed model call (an exception, or a score that is NaN or infinite) does: {@code zero}
 *     gives the episode no model reward (its incoming rewards stay), counted and logged; {@code fail} stops the run
 * @param timeoutS seconds one episode's scoring may take; a model that does not answer in time stops the run
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record RewardModelShaperConfig(String model, Refine refine, double eta, double weight, String module,
                                      OnError onError, double timeoutS) {
    public RewardModelShaperConfig {
        Objects.requireNonNull(model, "model");
        Ranges.requirePresent("refine", refine);
        Ranges.requireFinite("eta", eta);
        Ranges.requireAtLeast("weight", weight, 0);
        if (module == null || module.isBlank()) {
            throw new ConfigException("module", "must name a head of the preference model, e.g. executor");
        }
        Ranges.requirePresent("on_error", onError);
        Ranges.requirePositiveAtMost("timeout_s", timeoutS, 3600);
    }

    public static RewardModelShaperConfig defaults() {
        return PluginConfig.defaultsOf(RewardModelShaperConfig.class, "shaper", "reward-model");
    }

    /** The refinement of the model's scores; configured as {@code none}, {@code clip}, {@code delta}, {@code clip-delta}. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public enum Refine {
        NONE,
        CLIP,
        DELTA,
        CLIP_DELTA
    }

    /** What a failed model call does; configured as {@code zero} or {@code fail}. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public enum OnError {
        /** The episode gets no model reward; the failure is counted and logged with its step and the model. */
        ZERO,
        /** The run stops with a message naming the step and the model. */
        FAIL
    }
}
