package dev.densify.testkit;

import dev.densify.api.algo.Aggregation;
import dev.densify.api.algo.ClippedSurrogate;
import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.algo.LossInputs;
import dev.densify.api.algo.PolicyLoss;
import dev.densify.api.algo.PolicyOptimizer;
import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.api.algo.StepAdvantages;
import dev.densify.api.config.PluginConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An algorithm whose advantage is the return-to-go minus the mean return of the episode's group (Dr. GRPO with
 * discount {@code gamma}), correct or with one flaw, and the kit adopted by each; run only through
 * {@link PluginContractKitTest}.
 */
final class OptimizerFixtures {
    private OptimizerFixtures() {}

    enum Flaw { NONE, BATCH_BASELINE, DIVIDES_BY_GROUP_SPREAD, MUTATES_REWARDS }

    public record OptimizerConfig(double gamma) {
        static OptimizerConfig defaults() {
            return new OptimizerConfig(1.0);
        }
    }

    static final class GroupBaseline implements PolicyOptimizer {
        private final Flaw flaw;
        private final double gamma;
        private final ClippedSurrogate surrogate = new ClippedSurrogate(0.2, 0.2, 0, Aggregation.TOKEN_MEAN);

        GroupBaseline(Flaw flaw, double gamma) {
            this.flaw = flaw;
            this.gamma = gamma;
        }

        @Override
        public List<StepAdvantages> advantages(List<EpisodeRewards> batch) {
            List<double[]> returns = new ArrayList<>();
            Map<String, List<Double>> groupReturns = new LinkedHashMap<>();
            List<Double> all = new ArrayList<>();
            for (EpisodeRewards episode : batch) {
                double[] rewards = episode.rewards();
                double[] g = new double[rewards.length];
                double running = 0;
                for (int t = rewards.length - 1; t >= 0; t--) {
                    running = rewards[t] + gamma * running;
                    g[t] = running;
                }
                returns.add(g);
                double first = g.length == 0 ? 0 : g[0];
                groupReturns.computeIfAbsent(episode.groupId(), k -> new ArrayList<>()).add(first);
                all.add(first);
            }
            List<StepAdvantages> out = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                List<Double> peers = flaw == Flaw.BATCH_BASELINE ? all : groupReturns.get(batch.get(i).groupId());
                double mean = peers.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                double spread = peers.stream().mapToDouble(Double::doubleValue).max().orElse(0)
                        - peers.stream().mapToDouble(Double::doubleValue).min().orElse(0);
                double[] g = returns.get(i);
                double[] advantages = new double[g.length];
                for (int t = 0; t < g.length; t++) {
                    advantages[t] = flaw == Flaw.DIVIDES_BY_GROUP_SPREAD ? (g[t] - mean) / spread : g[t] - mean;
                }
                if (flaw == Flaw.MUTATES_REWARDS) {
                    System.arraycopy(advantages, 0, batch.get(i).rewards(), 0, advantages.length);
                }
                out.add(new StepAdvantages(advantages, g));
            }
            return out;
        }

        @Override
        public PolicyLoss loss(LossInputs inputs) {
            return surrogate.loss(inputs);
        }
    }

    abstract static class FixtureProvider extends FlawedProvider<Flaw> implements PolicyOptimizerProvider {
        FixtureProvider() {
            super("kit-", "algorithm", Flaw.class);
        }

        @Override
        public PolicyOptimizer create(PluginConfig config) {
            return new GroupBaseline(flaw, config.bind(OptimizerConfig.class).gamma());
        }
    }

    public static final class Correct extends FixtureProvider {}
    public static final class BatchBaseline extends FixtureProvider {}
    public static final class DividesByGroupSpread extends FixtureProvider {}
    public static final class MutatesRewards extends FixtureProvider {}

    abstract static class Kit extends PolicyOptimizerContractTest {
        @Override
        protected Class<? extends Record> configType() {
            return OptimizerConfig.class;
        }

        @Override
        protected boolean groupRelative() {
            return true;
        }

        @Override
        protected int examples() {
            return 50;
        }
    }

    static class CorrectKit extends Kit {
        @Override
        protected PolicyOptimizerProvider provider() {
            return new Correct();
        }
    }

    /** The correct algorithm, not declared group-relative: the invariance check must be skipped, not passed. */
    static class NotGroupRelativeKit extends CorrectKit {
        @Override
        protected boolean groupRelative() {
            return false;
        }
    }

    /** Discounted returns shift with an episode's length: the kit's undiscounted configuration is what holds. */
    static class DiscountedKit extends CorrectKit {
        @Override
        protected PluginConfig config() {
            return PluginConfig.of("algo", Map.of("gamma", 0.5));
        }
    }

    static class DiscountedWithUndiscountedInvarianceKit extends DiscountedKit {
        @Override
        protected PluginConfig groupRelativeConfig() {
            return PluginConfig.empty("algo");
        }
    }

    static class BatchBaselineKit extends Kit {
        @Override
        protected PolicyOptimizerProvider provider() {
            return new BatchBaseline();
        }
    }

    static class DividesByGroupSpreadKit extends Kit {
        @Override
        protected PolicyOptimizerProvider provider() {
            return new DividesByGroupSpread();
        }
    }

    static class MutatesRewardsKit extends Kit {
        @Override
        protected PolicyOptimizerProvider provider() {
            return new MutatesRewards();
        }
    }
}
