package dev.densify.testkit;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.GroupedRewards;
import dev.densify.api.reward.Normalizer;
import dev.densify.api.reward.NormalizerProvider;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A normaliser that centres rewards on the running mean of every reward seen so far, correct or with one flaw,
 * and the kit adopted by each; run only through {@link PluginContractKitTest}.
 */
final class NormalizerFixtures {
    private NormalizerFixtures() {}

    enum Flaw { NONE, MUTATES_INPUT, DROPS_LAST_STEP, DIVIDES_BY_EPISODE_SPREAD, UNSEEDED_NOISE, SAVES_NOTHING,
        RESTORE_ADDS }

    public record NormalizerConfig(double scale) {
        static NormalizerConfig defaults() {
            return new NormalizerConfig(1.0);
        }
    }

    static final class Centering implements Normalizer {
        private final Flaw flaw;
        private final double scale;
        private final Random noise = new Random();
        private long count;
        private double sum;

        Centering(Flaw flaw, double scale) {
            this.flaw = flaw;
            this.scale = scale;
        }

        @Override
        public List<double[]> normalize(List<GroupedRewards> batch) {
            for (GroupedRewards episode : batch) {
                for (double r : episode.rewards()) {
                    count++;
                    sum += r;
                }
            }
            double mean = count == 0 ? 0 : sum / count;
            List<double[]> out = new ArrayList<>();
            for (GroupedRewards episode : batch) {
                double[] rewards = episode.rewards();
                double spread = spread(rewards);
                double[] centred = new double[rewards.length];
                for (int t = 0; t < rewards.length; t++) {
                    centred[t] = switch (flaw) {
                        case DIVIDES_BY_EPISODE_SPREAD -> (rewards[t] - mean) / spread;
                        case UNSEEDED_NOISE -> scale * (rewards[t] - mean) + 1e-9 * noise.nextGaussian();
                        default -> scale * (rewards[t] - mean);
                    };
                }
                if (flaw == Flaw.MUTATES_INPUT) {
                    System.arraycopy(centred, 0, rewards, 0, rewards.length);
                }
                out.add(flaw == Flaw.DROPS_LAST_STEP && centred.length > 0
                        ? java.util.Arrays.copyOf(centred, centred.length - 1) : centred);
            }
            return out;
        }

        private static double spread(double[] xs) {
            double max = Double.NEGATIVE_INFINITY;
            double min = Double.POSITIVE_INFINITY;
            for (double x : xs) {
                max = Math.max(max, x);
                min = Math.min(min, x);
            }
            return max - min;
        }

        @Override
        public byte[] saveState() {
            return flaw == Flaw.SAVES_NOTHING ? new byte[0]
                    : ByteBuffer.allocate(16).putLong(count).putDouble(sum).array();
        }

        @Override
        public void restoreState(byte[] state) {
            if (flaw == Flaw.SAVES_NOTHING) {
                return;
            }
            ByteBuffer buffer = ByteBuffer.wrap(state);
            if (flaw == Flaw.RESTORE_ADDS) {
                count += buffer.getLong();
                sum += buffer.getDouble();
            } else {
                count = buffer.getLong();
                sum = buffer.getDouble();
            }
        }
    }

    abstract static class FixtureProvider extends FlawedProvider<Flaw> implements NormalizerProvider {
        FixtureProvider() {
            super("kit-", "normaliser", Flaw.class);
        }

        @Override
        public Normalizer create(PluginConfig config) {
            return new Centering(flaw, config.bind(NormalizerConfig.class).scale());
        }
    }

    public static final class Correct extends FixtureProvider {}
    public static final class MutatesInput extends FixtureProvider {}
    public static final class DropsLastStep extends FixtureProvider {}
    public static final class DividesByEpisodeSpread extends FixtureProvider {}
    public static final class UnseededNoise extends FixtureProvider {}
    public static final class SavesNothing extends FixtureProvider {}
    public static final class RestoreAdds extends FixtureProvider {}

    /** Runs the provider it is named after, as {@link FlawedProvider#namedAfter} says. */
    abstract static class Kit extends NormalizerContractTest {
        @Override
        protected NormalizerProvider provider() {
            return FlawedProvider.namedAfter(getClass(), NormalizerProvider.class);
        }

        @Override
        protected Class<? extends Record> configType() {
            return NormalizerConfig.class;
        }

        @Override
        protected int examples() {
            return 50;
        }
    }

    static class CorrectKit extends Kit {}
    static class MutatesInputKit extends Kit {}
    static class DropsLastStepKit extends Kit {}
    static class DividesByEpisodeSpreadKit extends Kit {}
    static class UnseededNoiseKit extends Kit {}
    static class SavesNothingKit extends Kit {}
    static class RestoreAddsKit extends Kit {}
}
