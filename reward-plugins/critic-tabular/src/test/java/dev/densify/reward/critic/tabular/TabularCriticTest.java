package dev.densify.reward.critic.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticProvider;
import dev.densify.api.critic.CriticSample;
import dev.densify.api.critic.CriticState;
import dev.densify.api.critic.FitReport;
import dev.densify.reward.critic.tabular.TabularCriticConfig.Mode;
import dev.densify.reward.critic.tabular.TabularCriticConfig.Unseen;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class TabularCriticTest {
    private static final double TOLERANCE = 1e-9;
    private static final List<String> KEYS = List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6");
    private static final Gen<CriticSample> SAMPLES = Generate.pick(KEYS).zip(doubles().between(-10, 10),
            (key, target) -> new CriticSample(CriticState.ofKey(key), target))
            .describedAs(s -> s.state().stateKey() + "=" + s.target());

    private static Gen<List<CriticSample>> samples(int min, int max) {
        return lists().of(SAMPLES).ofSizeBetween(min, max);
    }

    private static TabularCritic critic(Mode mode, Unseen unseen, double unseenValue) {
        return new TabularCritic(new TabularCriticConfig(mode, unseen, unseenValue));
    }

    private static List<CriticState> allKeysAndAnUnseenOne() {
        List<CriticState> states = KEYS.stream().map(CriticState::ofKey).collect(Collectors.toCollection(ArrayList::new));
        states.add(CriticState.ofKey("never-seen"));
        return states;
    }

    /** Per-key means computed here, independently of the critic. */
    private static Map<String, Double> means(List<CriticSample> samples) {
        return samples.stream().collect(Collectors.groupingBy(s -> s.state().stateKey(), LinkedHashMap::new,
                Collectors.averagingDouble(CriticSample::target)));
    }

    private static double mean(List<CriticSample> samples) {
        return samples.stream().mapToDouble(CriticSample::target).average().orElseThrow();
    }

    @Test
    @DisplayName("predicts the exact average return of each state; unseen states the mean of all targets")
    void predictsExactAverages() {
        qt().forAll(samples(1, 40)).checkAssert(train -> {
            TabularCritic critic = critic(Mode.REFIT, Unseen.MEAN, 0);
            critic.fit(train, List.of());
            Map<String, Double> means = means(train);
            double[] predicted = critic.predict(allKeysAndAnUnseenOne());
            for (int i = 0; i < KEYS.size(); i++) {
                double expected = means.getOrDefault(KEYS.get(i), mean(train));
                assertEquals(expected, predicted[i], TOLERANCE, KEYS.get(i));
            }
            assertEquals(mean(train), predicted[KEYS.size()], TOLERANCE, "unseen state");
            assertEquals(means.size(), critic.size());
        });
    }

    @Test
    @DisplayName("with unseen: constant, unseen states predict unseenValue; before any fit every state does")
    void unseenStatesPredictTheConfiguredConstant() {
        qt().forAll(samples(1, 20), doubles().between(-5, 5)).checkAssert((train, unseenValue) -> {
            for (Unseen unseen : Unseen.values()) {
                double[] fresh = critic(Mode.REFIT, unseen, unseenValue).predict(allKeysAndAnUnseenOne());
                for (double v : fresh) {
                    assertEquals(unseenValue, v, 0, "before any fit, " + unseen);
                }
            }
            TabularCritic critic = critic(Mode.REFIT, Unseen.CONSTANT, unseenValue);
            critic.fit(train, List.of());
            double[] predicted = critic.predict(allKeysAndAnUnseenOne());
            assertEquals(unseenValue, predicted[KEYS.size()], 0);
        });
    }

    @Test
    @DisplayName("the training loss is the within-state variance of the targets; held-out loss and EV are on held-out samples")
    void reportsLossesOfTheAveragePredictor() {
        qt().forAll(samples(1, 40), samples(0, 20)).checkAssert((train, heldOut) -> {
            FitReport report = critic(Mode.REFIT, Unseen.MEAN, 0).fit(train, heldOut);
            Map<String, Double> means = means(train);
            double withinStateVariance = train.stream()
                    .mapToDouble(s -> Math.pow(s.target() - means.get(s.state().stateKey()), 2)).average().orElseThrow();
            assertEquals(withinStateVariance, report.trainLoss(), TOLERANCE * 100, "train loss");
            assertEquals(1, report.epochs());
            if (heldOut.isEmpty()) {
                assertTrue(Double.isNaN(report.heldOutLoss()) && Double.isNaN(report.explainedVariance()));
                return;
            }
            double[] targets = heldOut.stream().mapToDouble(CriticSample::target).toArray();
            double[] predictions = heldOut.stream()
                    .mapToDouble(s -> means.getOrDefault(s.state().stateKey(), mean(train))).toArray();
            assertEquals(FitReport.meanSquaredError(targets, predictions), report.heldOutLoss(), TOLERANCE * 100);
            assertEquals(FitReport.explainedVariance(targets, predictions), report.explainedVariance(), 1e-6);
        });
    }

    @Test
    @DisplayName("with a prior, a state's average starts with that many returns equal to the unseen prediction")
    void aPriorShrinksRarelySeenStatesTowardsTheUnseenPrediction() {
        qt().forAll(samples(1, 40), doubles().between(0.5, 8)).checkAssert((train, prior) -> {
            TabularCritic critic = new TabularCritic(new TabularCriticConfig(Mode.REFIT, Unseen.MEAN, 0, prior));
            critic.fit(train, List.of());
            double[] predicted = critic.predict(allKeysAndAnUnseenOne());
            for (int i = 0; i < KEYS.size(); i++) {
                String key = KEYS.get(i);
                List<CriticSample> of = train.stream().filter(s -> s.state().stateKey().equals(key)).toList();
                double sum = of.stream().mapToDouble(CriticSample::target).sum();
                double expected = of.isEmpty() ? mean(train) : (sum + prior * mean(train)) / (of.size() + prior);
                assertEquals(expected, predicted[i], TOLERANCE, key);
            }
        });
    }

    private static final List<String> COUNTED_KEYS = List.of("a 1", "a 2", "a 13", "b 1", "b 2", "c 5");
    private static final String TRAILING_NUMBER = "\\s*\\d+$";

    @Test
    @DisplayName("with a backoff, a key's average shrinks towards its coarser key's, and that one towards the mean")
    void aBackoffShrinksTowardsTheCoarserKeysAverage() {
        Gen<CriticSample> counted = Generate.pick(COUNTED_KEYS).zip(doubles().between(-10, 10),
                (key, target) -> new CriticSample(CriticState.ofKey(key), target));
        qt().forAll(lists().of(counted).ofSizeBetween(1, 40), doubles().between(0, 4), doubles().between(0.5, 8))
                .checkAssert((train, prior, backoffPrior) -> {
                    TabularCritic critic = new TabularCritic(new TabularCriticConfig(Mode.REFIT, Unseen.MEAN, 0, prior,
                            TRAILING_NUMBER, backoffPrior));
                    critic.fit(train, List.of());
                    List<String> asked = new ArrayList<>(COUNTED_KEYS);
                    asked.addAll(List.of("a 99", "c", "z 1"));
                    double[] predicted = critic.predict(asked.stream().map(CriticState::ofKey).toList());
                    for (int i = 0; i < asked.size(); i++) {
                        String key = asked.get(i);
                        String coarser = key.replaceAll(TRAILING_NUMBER, "");
                        List<CriticSample> same = train.stream().filter(s -> s.state().stateKey().equals(key)).toList();
                        List<CriticSample> alike = train.stream()
                                .filter(s -> s.state().stateKey().replaceAll(TRAILING_NUMBER, "").equals(coarser))
                                .toList();
                        double coarse = alike.isEmpty() ? mean(train)
                                : (sum(alike) + prior * mean(train)) / (alike.size() + prior);
                        double expected = same.isEmpty() ? coarse
                                : (sum(same) + backoffPrior * coarse) / (same.size() + backoffPrior);
                        assertEquals(expected, predicted[i], TOLERANCE, key);
                    }
                });
    }

    private static double sum(List<CriticSample> samples) {
        return samples.stream().mapToDouble(CriticSample::target).sum();
    }

    @Test
    @DisplayName("with a backoff, a restored critic predicts and continues fitting exactly like the original")
    void aBackoffSurvivesTheStateRoundTrip() {
        Gen<CriticSample> counted = Generate.pick(COUNTED_KEYS).zip(doubles().between(-10, 10),
                (key, target) -> new CriticSample(CriticState.ofKey(key), target));
        qt().forAll(lists().of(counted).ofSizeBetween(0, 30), lists().of(counted).ofSizeBetween(0, 10))
                .checkAssert((first, next) -> {
                    for (Mode mode : Mode.values()) {
                        TabularCriticConfig config = new TabularCriticConfig(mode, Unseen.MEAN, 0.25, 1,
                                TRAILING_NUMBER, 4);
                        TabularCritic original = new TabularCritic(config);
                        original.fit(first, List.of());
                        TabularCritic restored = new TabularCritic(config);
                        restored.restoreState(original.saveState());
                        List<CriticState> asked = List.of(CriticState.ofKey("a 1"), CriticState.ofKey("a 7"),
                                CriticState.ofKey("b 2"), CriticState.ofKey("q 3"));
                        assertArrayEquals(original.predict(asked), restored.predict(asked), 0, mode + " predictions");
                        assertEquals(original.fit(next, first), restored.fit(next, first), mode + " report");
                        assertArrayEquals(original.predict(asked), restored.predict(asked), 0, mode + " after a fit");
                    }
                });
    }

    @Test
    @DisplayName("a backoff that is not a regular expression is rejected naming the key")
    void aBadBackoffIsRejected() {
        ConfigException error = assertThrows(ConfigException.class, () -> new TabularCriticProvider()
                .create(PluginConfig.of("critic", Map.of("backoff", "left=(\\d+"))));
        assertTrue(error.getMessage().contains("critic.backoff"), error.getMessage());
        assertTrue(error.getMessage().contains("not a Java regular expression"), error.getMessage());
    }

    @Test
    @DisplayName("held-out samples join the table after they have measured it")
    void heldOutSamplesJoinTheTableAfterTheReport() {
        qt().forAll(samples(1, 40), samples(1, 20)).checkAssert((train, heldOut) -> {
            TabularCritic critic = critic(Mode.REFIT, Unseen.MEAN, 0);
            critic.fit(train, heldOut);
            TabularCritic all = critic(Mode.REFIT, Unseen.MEAN, 0);
            List<CriticSample> both = new ArrayList<>(train);
            both.addAll(heldOut);
            all.fit(both, List.of());
            assertArrayEquals(all.predict(allKeysAndAnUnseenOne()), critic.predict(allKeysAndAnUnseenOne()), TOLERANCE);
        });
    }

    @Test
    @DisplayName("explained variance is 1 on deterministic returns from states seen in training")
    void explainsAllVarianceOfDeterministicReturns() {
        Gen<double[]> returnOfEachKey = lists().of(doubles().between(-10, 10)).ofSize(KEYS.size())
                .map(xs -> xs.stream().mapToDouble(Double::doubleValue).toArray())
                .assuming(xs -> xs[0] != xs[1]);
        qt().forAll(returnOfEachKey, lists().of(Generate.pick(KEYS)).ofSizeBetween(0, 30))
                .checkAssert((returns, extraKeys) -> {
                    List<CriticSample> train = new ArrayList<>();
                    IntStream.range(0, KEYS.size()).forEach(i -> train.add(sample(KEYS.get(i), returns[i])));
                    extraKeys.forEach(key -> train.add(sample(key, returns[KEYS.indexOf(key)])));
                    List<CriticSample> heldOut = List.of(sample("s0", returns[0]), sample("s1", returns[1]),
                            sample(extraKeys.isEmpty() ? "s2" : extraKeys.get(0),
                                    returns[KEYS.indexOf(extraKeys.isEmpty() ? "s2" : extraKeys.get(0))]));
                    FitReport report = critic(Mode.REFIT, Unseen.MEAN, 0).fit(train, heldOut);
                    assertEquals(1, report.explainedVariance(), 1e-9, "held-out EV");
                    assertEquals(0, report.heldOutLoss(), 1e-12, "held-out loss");
                    assertEquals(0, report.trainLoss(), 1e-12, "train loss");
                });
    }

    private static CriticSample sample(String key, double target) {
        return new CriticSample(CriticState.ofKey(key), target);
    }

    @Test
    @DisplayName("refit keeps only the last fit's averages; accumulate averages over every fit")
    void refitAndAccumulateCombineFitsDifferently() {
        qt().forAll(samples(1, 20), samples(1, 20)).checkAssert((first, second) -> {
            TabularCritic refit = critic(Mode.REFIT, Unseen.MEAN, 0);
            TabularCritic accumulate = critic(Mode.ACCUMULATE, Unseen.MEAN, 0);
            for (List<CriticSample> fit : List.of(first, second)) {
                refit.fit(fit, List.of());
                accumulate.fit(fit, List.of());
            }
            List<CriticSample> both = new ArrayList<>(first);
            both.addAll(second);
            double[] refitPredictions = refit.predict(allKeysAndAnUnseenOne());
            double[] accumulatePredictions = accumulate.predict(allKeysAndAnUnseenOne());
            Map<String, Double> secondMeans = means(second);
            Map<String, Double> allMeans = means(both);
            for (int i = 0; i < KEYS.size(); i++) {
                String key = KEYS.get(i);
                assertEquals(secondMeans.getOrDefault(key, mean(second)), refitPredictions[i], TOLERANCE, "refit " + key);
                assertEquals(allMeans.getOrDefault(key, mean(both)), accumulatePredictions[i], TOLERANCE, "accumulate " + key);
            }
        });
    }

    @Test
    @DisplayName("a restored critic predicts and continues fitting exactly like the one whose state it restored")
    void stateRoundTripContinuesIdentically() {
        qt().forAll(lists().of(samples(0, 15)).ofSizeBetween(0, 3), samples(0, 15), samples(0, 10))
                .checkAssert((fits, nextFit, heldOut) -> {
                    for (Mode mode : Mode.values()) {
                        TabularCritic original = critic(mode, Unseen.MEAN, 0.25);
                        fits.forEach(fit -> original.fit(fit, List.of()));
                        TabularCritic restored = critic(mode, Unseen.MEAN, 0.25);
                        restored.restoreState(original.saveState());
                        assertArrayEquals(original.saveState(), restored.saveState(), mode + " state bytes");
                        assertArrayEquals(original.predict(allKeysAndAnUnseenOne()),
                                restored.predict(allKeysAndAnUnseenOne()), 0, mode + " predictions");
                        assertEquals(original.fit(nextFit, heldOut), restored.fit(nextFit, heldOut), mode + " report");
                        assertArrayEquals(original.predict(allKeysAndAnUnseenOne()),
                                restored.predict(allKeysAndAnUnseenOne()), 0, mode + " predictions after a fit");
                    }
                });
    }

    @Test
    @DisplayName("keys survive the state round trip whatever their characters")
    void unusualKeysSurviveTheRoundTrip() {
        TabularCritic critic = critic(Mode.REFIT, Unseen.CONSTANT, 0);
        String longKey = "x".repeat(70_000);
        critic.fit(List.of(sample("", 1), sample("é 🎯\n", 2), sample(longKey, 3)), List.of());
        TabularCritic restored = critic(Mode.REFIT, Unseen.CONSTANT, 0);
        restored.restoreState(critic.saveState());
        assertArrayEquals(new double[] {1, 2, 3},
                restored.predict(List.of(CriticState.ofKey(""), CriticState.ofKey("é 🎯\n"), CriticState.ofKey(longKey))), 0);
    }

    @Test
    @DisplayName("a foreign or truncated state is rejected and leaves the table alone")
    void badStatesAreRejected() {
        TabularCritic critic = critic(Mode.REFIT, Unseen.CONSTANT, 0);
        critic.fit(List.of(sample("a", 1)), List.of());
        byte[] good = critic.saveState();
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> critic.restoreState(truncated));
        assertTrue(error.getMessage().contains("tabular critic state"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> critic.restoreState(new byte[] {0, 0, 0, 9}));
        assertEquals(1, critic.predict(List.of(CriticState.ofKey("a")))[0], 0);
    }

    @Test
    @DisplayName("the state key is all it needs")
    void needsNoFeatures() {
        assertFalse(critic(Mode.REFIT, Unseen.MEAN, 0).needsFeatures());
    }

    @Test
    @DisplayName("with its defaults, a state seen twice and an unseen one get the mean return")
    void withItsDefaultsAStateSeenTwiceAndAnUnseenOneGetTheMeanReturn() throws Exception {
        try (Critic critic = new TabularCriticProvider().create(PluginConfig.empty("critic"))) {
            critic.fit(List.of(sample("a", 1), sample("a", 0), sample("b", 0.5)), List.of());
            List<CriticState> states = List.of(CriticState.ofKey("a"), CriticState.ofKey("b"), CriticState.ofKey("c"));
            assertArrayEquals(new double[] {0.5, 0.5, 0.5}, critic.predict(states), 1e-12);
        }
    }

    @Test
    @DisplayName("a bad mode or unseen value names what is allowed")
    void badValuesNameWhatIsAllowed() {
        CriticProvider provider = new TabularCriticProvider();
        ConfigException mode = assertThrows(ConfigException.class,
                () -> provider.create(PluginConfig.of("critic", Map.of("mode", "average"))));
        assertTrue(mode.getMessage().contains("[refit, accumulate]"), mode.getMessage());
        ConfigException unseen = assertThrows(ConfigException.class,
                () -> provider.create(PluginConfig.of("critic", Map.of("unseen", "zero"))));
        assertTrue(unseen.getMessage().contains("[mean, constant]"), unseen.getMessage());
    }
}
