package dev.densify.testkit;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.LearnedShaper;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.RewardShaperProvider;
import dev.densify.api.reward.ShapingInput;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

/**
 * A learned shaper that adds scale times the mean outcome it has fitted on (with a little seeded jitter, as sampled
 * mini-batches give) to every step reward, correct or with one flaw, and the kit adopted by each. The kits run only
 * through {@link PluginContractKitTest}.
 */
final class LearnedShaperFixtures {
    private LearnedShaperFixtures() {}

    enum Flaw { NONE, UNSEEDED_FIT, SAVES_NOTHING, RESTORE_ADDS }

    /** The record of every fixture's defaults file. */
    public record LearnedConfig(double scale) {
        static LearnedConfig defaults() {
            return new LearnedConfig(1.0);
        }
    }

    private static final class MeanOutcome implements LearnedShaper {
        private final Flaw flaw;
        private final double scale;
        private long count;
        private double sum;

        MeanOutcome(Flaw flaw, double scale) {
            this.flaw = flaw;
            this.scale = scale;
        }

        @Override
        public double[] shape(ShapingInput episode) {
            double bonus = count == 0 ? 0 : scale * sum / count;
            double[] shaped = episode.stepRewards().clone();
            for (int t = 0; t < shaped.length; t++) {
                shaped[t] += bonus;
            }
            return shaped;
        }

        @Override
        public Fit fit(List<ShapingInput> episodes, long seed) {
            Random jitter = flaw == Flaw.UNSEEDED_FIT ? new Random() : new Random(seed ^ count);
            int learned = 0;
            for (ShapingInput e : episodes) {
                if (!e.steps().isEmpty()) {
                    sum += e.outcome().reward() + 0.01 * jitter.nextGaussian();
                    count++;
                    learned++;
                }
            }
            return learned == 0 ? Fit.none() : new Fit(learned, 1, sum / count);
        }

        @Override
        public byte[] saveState() {
            if (flaw == Flaw.SAVES_NOTHING) {
                return new byte[0];
            }
            return ByteBuffer.allocate(16).putLong(count).putDouble(sum).array();
        }

        @Override
        public void restoreState(byte[] state) {
            long restoredCount = 0;
            double restoredSum = 0;
            if (state.length > 0) {
                ByteBuffer buffer = ByteBuffer.wrap(state);
                restoredCount = buffer.getLong();
                restoredSum = buffer.getDouble();
            }
            if (flaw == Flaw.RESTORE_ADDS) {
                count += restoredCount;
                sum += restoredSum;
            } else {
                count = restoredCount;
                sum = restoredSum;
            }
        }
    }

    abstract static class FixtureProvider extends FlawedProvider<Flaw> implements RewardShaperProvider {
        FixtureProvider() {
            super("kit-learned-", "learned shaper", Flaw.class);
        }

        @Override
        public RewardShaper create(PluginConfig config) {
            return new MeanOutcome(flaw, config.bind(LearnedConfig.class).scale());
        }
    }

    public static final class Correct extends FixtureProvider {}
    public static final class UnseededFit extends FixtureProvider {}
    public static final class SavesNothing extends FixtureProvider {}
    public static final class RestoreAdds extends FixtureProvider {}

    /** Runs the provider it is named after, as {@link FlawedProvider#namedAfter} says. */
    abstract static class Kit extends LearnedShaperContractTest {
        @Override
        protected RewardShaperProvider provider() {
            return FlawedProvider.namedAfter(getClass(), RewardShaperProvider.class);
        }

        @Override
        protected Class<? extends Record> configType() {
            return LearnedConfig.class;
        }

        @Override
        protected int examples() {
            return 50;
        }
    }

    static class CorrectKit extends Kit {}
    static class UnseededFitKit extends Kit {}
    static class SavesNothingKit extends Kit {}
    static class RestoreAddsKit extends Kit {}

    /** The correct plain shaper of {@link ShaperFixtures}, which does not learn, put to the learned shaper kit. */
    static class NotLearnedKit extends LearnedShaperContractTest {
        @Override
        protected RewardShaperProvider provider() {
            return new ShaperFixtures.Correct();
        }

        @Override
        protected Class<? extends Record> configType() {
            return ShaperFixtures.ShaperConfig.class;
        }

        @Override
        protected int examples() {
            return 50;
        }
    }
}
