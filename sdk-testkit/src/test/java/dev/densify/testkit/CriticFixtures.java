package dev.densify.testkit;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticProvider;
import dev.densify.api.critic.CriticSample;
import dev.densify.api.critic.CriticState;
import dev.densify.api.critic.FitReport;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A table critic, V(s) = the average over fits of each fit's mean return of s, unseen states valued
 * {@code unseen}; correct or with one flaw, and the kit adopted by each; run only through
 * {@link PluginContractKitTest}.
 */
final class CriticFixtures {
    private CriticFixtures() {}

    enum Flaw { NONE, NAN_FOR_UNSEEN, UNSEEDED_FIT, SAVES_NOTHING, FORGETS_FIT_COUNT }

    public record CriticConfig(double unseen) {
        static CriticConfig defaults() {
            return new CriticConfig(0.0);
        }
    }

    static final class AveragingTable implements Critic {
        private final Flaw flaw;
        private final double unseen;
        private final Random noise = new Random();
        private TreeMap<String, Double> table = new TreeMap<>();
        private int fits;

        AveragingTable(Flaw flaw, double unseen) {
            this.flaw = flaw;
            this.unseen = unseen;
        }

        @Override
        public boolean needsFeatures() {
            return false;
        }

        @Override
        public double[] predict(List<CriticState> states) {
            return states.stream().mapToDouble(s -> table.getOrDefault(s.stateKey(),
                    flaw == Flaw.NAN_FOR_UNSEEN ? Double.NaN : unseen)).toArray();
        }

        @Override
        public FitReport fit(List<CriticSample> train, List<CriticSample> heldOut) {
            Map<String, double[]> sums = new HashMap<>();
            for (CriticSample sample : train) {
                double[] sum = sums.computeIfAbsent(sample.state().stateKey(), k -> new double[2]);
                sum[0] += sample.target();
                sum[1]++;
            }
            fits++;
            sums.forEach((key, sum) -> {
                double mean = sum[0] / sum[1] + (flaw == Flaw.UNSEEDED_FIT ? 1e-9 * noise.nextGaussian() : 0);
                double old = table.getOrDefault(key, mean);
                table.put(key, old + (mean - old) / fits);
            });
            return new FitReport(loss(train), heldOut.isEmpty() ? Double.NaN : loss(heldOut), Double.NaN, 1);
        }

        private double loss(List<CriticSample> samples) {
            double[] targets = samples.stream().mapToDouble(CriticSample::target).toArray();
            return FitReport.meanSquaredError(targets, predict(samples.stream().map(CriticSample::state).toList()));
        }

        @Override
        public byte[] saveState() {
            if (flaw == Flaw.SAVES_NOTHING) {
                return new byte[0];
            }
            ByteBuffer out = ByteBuffer.allocate(8 + table.size() * 64);
            out.putInt(flaw == Flaw.FORGETS_FIT_COUNT ? 0 : fits).putInt(table.size());
            table.forEach((key, value) -> {
                byte[] bytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.putInt(bytes.length).put(bytes).putDouble(value);
            });
            return java.util.Arrays.copyOf(out.array(), out.position());
        }

        @Override
        public void restoreState(byte[] state) {
            if (flaw == Flaw.SAVES_NOTHING) {
                return;
            }
            ByteBuffer in = ByteBuffer.wrap(state);
            fits = in.getInt();
            TreeMap<String, Double> restored = new TreeMap<>();
            for (int i = in.getInt(); i > 0; i--) {
                byte[] bytes = new byte[in.getInt()];
                in.get(bytes);
                restored.put(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), in.getDouble());
            }
            table = restored;
        }
    }

    abstract static class FixtureProvider extends FlawedProvider<Flaw> implements CriticProvider {
        FixtureProvider() {
            super("kit-", "critic", Flaw.class);
        }

        @Override
        public Critic create(PluginConfig config) {
            return new AveragingTable(flaw, config.bind(CriticConfig.class).unseen());
        }
    }

    public static final class Correct extends FixtureProvider {}
    public static final class NanForUnseen extends FixtureProvider {}
    public static final class UnseededFit extends FixtureProvider {}
    public static final class SavesNothing extends FixtureProvider {}
    public static final class ForgetsFitCount extends FixtureProvider {}

    /** Runs the provider it is named after, as {@link FlawedProvider#namedAfter} says. */
    abstract static class Kit extends CriticContractTest {
        @Override
        protected CriticProvider provider() {
            return FlawedProvider.namedAfter(getClass(), CriticProvider.class);
        }

        @Override
        protected Class<? extends Record> configType() {
            return CriticConfig.class;
        }
    }

    static class CorrectKit extends Kit {}
    static class NanForUnseenKit extends Kit {}
    static class UnseededFitKit extends Kit {}
    static class SavesNothingKit extends Kit {}
    static class ForgetsFitCountKit extends Kit {}
}
