package dev.densify.rm.shaper;

import dev.densify.api.env.Outcome;
import dev.densify.api.reward.ShapingInput;
import dev.densify.reward.shapers.ClipDeltaShaper;
import dev.densify.reward.shapers.ClipDeltaShaperConfig;

/**
 * Gao et al.'s (2024) Clip and Delta applied to a model's step scores. The formulas have one home, the
 * {@code clip-delta} shaper; this hands it the scores as the step rewards of an episode (the outcome, values and
 * termination, which it does not read, are placeholders).
 */
final class Refinement {
    private static final Outcome UNREAD = new Outcome(0, false);

    private Refinement() {}

    static double[] apply(RewardModelShaperConfig.Refine refine, double eta, double[] scores) {
        ClipDeltaShaperConfig.Mode mode = switch (refine) {
            case NONE -> null;
            case CLIP -> ClipDeltaShaperConfig.Mode.CLIP;
            case DELTA -> ClipDeltaShaperConfig.Mode.DELTA;
            case CLIP_DELTA -> ClipDeltaShaperConfig.Mode.CLIP_DELTA;
        };
        if (mode == null) {
            return scores.clone();
        }
        return new ClipDeltaShaper(new ClipDeltaShaperConfig(mode, eta))
                .shape(new ShapingInput(scores, UNREAD, new double[scores.length + 1], true));
    }
}
