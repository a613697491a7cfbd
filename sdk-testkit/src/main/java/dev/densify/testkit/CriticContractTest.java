package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.API;
import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticProvider;
import dev.densify.api.critic.CriticSample;
import dev.densify.api.critic.CriticState;
import dev.densify.api.critic.FitReport;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Critic} keeps, as a JUnit 5 class to extend: a critic author names the provider and
 * gets the {@linkplain PluginContractTest discovery and configuration checks}, the critic's own promises and the
 * checkpoint round trip.
 *
 * <pre>{@code
 * class TabularCriticContractTest extends CriticContractTest {
 *     @Override
 *     protected CriticProvider provider() {
 *         return new TabularCriticProvider();
 *     }
 * }
 * }</pre>
 *
 * <p>The samples are twelve states with noisy returns; a critic that {@linkplain Critic#needsFeatures() needs
 * features} gets 1 to 3 rows of {@link #featureDimension()} numbers per state, the same rows for the same state.
 * A run is repeatable only when a fit is: the same configuration (its seed included) and the same samples must
 * give bit-identical predictions, and a checkpointed critic must predict and go on fitting exactly as before.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
@DisplayName("Critic contract")
public abstract class CriticContractTest extends PluginContractTest<CriticProvider, Critic> {

    @Override
    protected final Class<CriticProvider> providerType() {
        return CriticProvider.class;
    }

    @Override
    protected final String group() {
        return "critic";
    }

    /** The width of each feature row handed to a critic that needs features. */
    protected int featureDimension() {
        return 8;
    }

    /** Training samples per fit; a quarter as many held-out ones come with them. */
    protected int samplesPerFit() {
        return 48;
    }

    private int dimension(Critic critic) {
        return critic.needsFeatures() ? featureDimension() : 0;
    }

    private List<CriticSample> samples(Critic critic, long seed) {
        return Inputs.criticSamples(seed, samplesPerFit(), dimension(critic));
    }

    private List<CriticSample> heldOut(Critic critic, long seed) {
        return Inputs.criticSamples(seed + 1_000, Math.max(2, samplesPerFit() / 4), dimension(critic));
    }

    private List<CriticState> states(Critic critic) {
        return Inputs.criticStates(dimension(critic));
    }

    private FitReport fit(Critic critic, long seed) {
        FitReport report = critic.fit(samples(critic, seed), heldOut(critic, seed));
        assertNotNull(report, "fit returned no report");
        return report;
    }

    private double[] predict(Critic critic) {
        List<CriticState> states = states(critic);
        double[] values = critic.predict(states);
        assertNotNull(values, "predict returned null");
        assertEquals(states.size(), values.length, "one value per state");
        return values;
    }

    private static void assertFinite(String when, double[] values) {
        assertTrue(Arrays.stream(values).allMatch(Double::isFinite),
                () -> when + ", a predicted value is not finite: " + Arrays.toString(values));
    }

    @Override
    protected void assertSameBehaviour(String context, Critic expected, Critic actual) {
        assertEquals(expected.needsFeatures(), actual.needsFeatures(), () -> context + " differ in needsFeatures()");
        assertArrayEquals(predict(expected), predict(actual), 0, () -> context + " predict differently before a fit");
        assertEquals(fit(expected, 1), fit(actual, 1), () -> context + " report differently on the same fit");
        assertArrayEquals(predict(expected), predict(actual), 0, () -> context + " predict differently after a fit");
    }

    @Nested
    @DisplayName("prediction")
    class Prediction {

        @Test
        @DisplayName("one finite value per state before any fit")
        void finiteBeforeAnyFit() {
            assertFinite("before any fit", predict(create()));
        }

        @Test
        @DisplayName("one finite value per state after fits, seen and unseen states alike")
        void finiteAfterFits() {
            Critic critic = create();
            fit(critic, 1);
            assertFinite("after one fit", predict(critic));
            fit(critic, 2);
            assertFinite("after a second fit", predict(critic));
        }

        @Test
        @DisplayName("an empty list of states gives an empty array")
        void emptyStatesGiveNoValues() {
            Critic critic = create();
            fit(critic, 1);
            double[] values = critic.predict(List.of());
            assertNotNull(values, "predict returned null");
            assertEquals(0, values.length, "values for no states");
        }
    }

    @Nested
    @DisplayName("fitting")
    class Fitting {

        @Test
        @DisplayName("the training loss of a fit is finite and the held-out loss too when held-out samples are given")
        void fitReportIsFinite() {
            FitReport report = fit(create(), 1);
            assertTrue(Double.isFinite(report.trainLoss()), () -> "training loss " + report);
            assertTrue(Double.isFinite(report.heldOutLoss()), () -> "held-out loss " + report);
        }

        @Test
        @DisplayName("the same configuration and samples fit to the same predictions and report, fit after fit")
        void fitIsDeterministic() {
            Critic one = create();
            Critic other = create();
            for (long seed = 1; seed <= 2; seed++) {
                long fitNumber = seed;
                assertEquals(fit(one, seed), fit(other, seed), () -> "fit " + fitNumber + " reported differently");
                assertArrayEquals(predict(one), predict(other), 0,
                        () -> "after fit " + fitNumber + " two critics predict differently");
            }
        }
    }

    @Nested
    @DisplayName("checkpoint state")
    class CheckpointState {

        @Test
        @DisplayName("a saved state restored into a fresh critic predicts exactly the same and saves the same")
        void restoredCriticPredictsTheSame() {
            Critic original = create();
            fit(original, 1);
            byte[] state = original.saveState();
            assertNotNull(state, "saveState returned null");
            Critic restored = create();
            restored.restoreState(state.clone());
            assertArrayEquals(predict(original), predict(restored), 0, "the restored critic predicts differently");
            assertArrayEquals(state, restored.saveState(), "the restored critic saves another state");
        }

        @Test
        @DisplayName("restoring replaces what the critic had learned")
        void restoringReplacesEarlierFits() {
            Critic original = create();
            fit(original, 1);
            Critic used = create();
            fit(used, 7);
            used.restoreState(original.saveState());
            assertArrayEquals(predict(original), predict(used), 0,
                    "a critic fitted on other samples predicts differently after restoring");
        }

        @Test
        @DisplayName("a restored critic fits on exactly as the original does")
        void restoredCriticFitsOnTheSame() {
            Critic original = create();
            fit(original, 1);
            Critic restored = create();
            restored.restoreState(original.saveState());
            assertEquals(fit(original, 2), fit(restored, 2), "the next fit reports differently");
            assertArrayEquals(predict(original), predict(restored), 0, "after the next fit they predict differently");
        }
    }
}
