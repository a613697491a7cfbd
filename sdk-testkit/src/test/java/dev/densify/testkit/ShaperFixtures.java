package dev.densify.testkit;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.RewardShaperProvider;
import dev.densify.api.reward.ShapingInput;
import java.util.Arrays;
import java.util.Random;

/**
 * A difference-of-values shaper r_t + scale (V(s_{t+1}) - V(s_t)), correct or with one flaw, and the kit adopted
 * by each. The kits run only through {@link PluginContractKitTest}: Surefire matches none of these nested names.
 */
final class ShaperFixtures {
    private ShaperFixtures() {}

    enum Flaw { NONE, MUTATES_VALUES, UNSEEDED_NOISE, DROPS_LAST_STEP, NAN_WHEN_TERMINATED, IGNORES_UNKNOWN_KEYS,
        UNREGISTERED, DRIFTED_DEFAULTS }

    public record ShaperConfig(double scale) {
        static ShaperConfig defaults() {
            return new ShaperConfig(1.0);
        }
    }

    abstract static class FixtureProvider extends FlawedProvider<Flaw> implements RewardShaperProvider {
        FixtureProvider() {
            super("kit-", "shaper", Flaw.class);
        }

        @Override
        public RewardShaper create(PluginConfig config) {
            double scale = flaw == Flaw.IGNORES_UNKNOWN_KEYS ? config.getDouble("scale", 1.0)
                    : config.bind(ShaperConfig.class).scale();
            Random noise = new Random();
            return episode -> {
                double[] values = episode.values();
                double[] shaped = new double[episode.length()];
                for (int t = 0; t < shaped.length; t++) {
                    shaped[t] = episode.stepRewards()[t] + scale * (values[t + 1] - values[t]);
                }
                return switch (flaw) {
                    case MUTATES_VALUES -> {
                        Arrays.fill(values, 0);
                        yield shaped;
                    }
                    case UNSEEDED_NOISE -> Arrays.stream(shaped).map(r -> r + 1e-9 * noise.nextGaussian()).toArray();
                    case DROPS_LAST_STEP -> Arrays.copyOf(shaped, Math.max(0, shaped.length - 1));
                    case NAN_WHEN_TERMINATED -> {
                        if (episode.terminated() && shaped.length > 0) {
                            shaped[shaped.length - 1] = 0.0 / 0.0;
                        }
                        yield shaped;
                    }
                    default -> shaped;
                };
            };
        }
    }

    public static final class Correct extends FixtureProvider {}
    public static final class MutatesValues extends FixtureProvider {}
    public static final class UnseededNoise extends FixtureProvider {}
    public static final class DropsLastStep extends FixtureProvider {}
    public static final class NanWhenTerminated extends FixtureProvider {}
    public static final class IgnoresUnknownKeys extends FixtureProvider {}

    /** Not listed in the services file. */
    public static final class Unregistered extends FixtureProvider {}

    /** Its defaults file says scale 2.0, its record 1.0. */
    public static final class DriftedDefaults extends FixtureProvider {}

    /** Runs the provider it is named after, as {@link FlawedProvider#namedAfter} says. */
    abstract static class Kit extends RewardShaperContractTest {
        @Override
        protected RewardShaperProvider provider() {
            return FlawedProvider.namedAfter(getClass(), RewardShaperProvider.class);
        }

        @Override
        protected Class<? extends Record> configType() {
            return ShaperConfig.class;
        }

        @Override
        protected int examples() {
            return 50;
        }
    }

    static class CorrectKit extends Kit {}
    static class MutatesValuesKit extends Kit {}
    static class UnseededNoiseKit extends Kit {}
    static class DropsLastStepKit extends Kit {}
    static class NanWhenTerminatedKit extends Kit {}
    static class IgnoresUnknownKeysKit extends Kit {}
    static class UnregisteredKit extends Kit {}
    static class DriftedDefaultsKit extends Kit {}

    /** The correct shaper, its record found by the kit's naming convention, which these classes do not follow. */
    static class ConventionKit extends RewardShaperContractTest {
        @Override
        protected RewardShaperProvider provider() {
            return new Correct();
        }
    }
}
