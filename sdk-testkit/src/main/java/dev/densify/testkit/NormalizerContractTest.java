package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.densify.api.API;
import dev.densify.api.reward.GroupedRewards;
import dev.densify.api.reward.Normalizer;
import dev.densify.api.reward.NormalizerProvider;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;

/**
 * The contract every {@link Normalizer} keeps, as a JUnit 5 class to extend: a normaliser author names the
 * provider and gets the {@linkplain PluginContractTest discovery and configuration checks}, the normaliser's own
 * promises over random batches that QuickTheories shrinks, and the checkpoint round trip.
 *
 * <pre>{@code
 * class RunningNormalizerContractTest extends NormalizerContractTest {
 *     @Override
 *     protected NormalizerProvider provider() {
 *         return new RunningNormalizerProvider();
 *     }
 * }
 * }</pre>
 *
 * <p>A normaliser may learn from the batches it sees (running statistics), so purity here means: it never writes
 * to its input, and two normalisers in the same state answer the same batch the same way. That state is what
 * checkpoints keep, so a restored normaliser must go on exactly as the one it was saved from.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
@DisplayName("Normalizer contract")
public abstract class NormalizerContractTest extends PluginContractTest<NormalizerProvider, Normalizer> {

    @Override
    protected final Class<NormalizerProvider> providerType() {
        return NormalizerProvider.class;
    }

    @Override
    protected final String group() {
        return "normalizer";
    }

    /** The most episodes in one generated batch. */
    protected int maxEpisodes() {
        return 16;
    }

    /** The longest generated episode. */
    protected int maxLength() {
        return 10;
    }

    private QuickTheory theory() {
        return qt().withFixedSeed(propertySeed()).withExamples(examples());
    }

    private Gen<List<GroupedRewards>> batches() {
        return Inputs.rewardBatches(maxEpisodes(), maxLength());
    }

    private Gen<List<List<GroupedRewards>>> histories() {
        return Inputs.rewardHistories(maxEpisodes(), maxLength());
    }

    private static List<double[]> normalize(Normalizer normalizer, List<GroupedRewards> batch) {
        List<double[]> out = normalizer.normalize(batch);
        assertNotNull(out, "normalize returned null");
        return out;
    }

    private static void assertSameOutput(String context, List<double[]> expected, List<double[]> actual) {
        assertEquals(expected.size(), actual.size(), () -> context + ": another number of episodes");
        for (int i = 0; i < expected.size(); i++) {
            int episode = i;
            assertArrayEquals(expected.get(i), actual.get(i), 0, () -> context + ": episode " + episode + " differs");
        }
    }

    private static void feed(Normalizer normalizer, List<List<GroupedRewards>> history) {
        history.forEach(batch -> normalize(normalizer, batch));
    }

    @Override
    protected void assertSameBehaviour(String context, Normalizer expected, Normalizer actual) {
        // One pair of normalisers through the whole search: stateful ones must also learn alike.
        theory().forAll(batches()).checkAssert(batch -> assertSameOutput(context + " normalise differently",
                normalize(expected, batch), normalize(actual, batch)));
    }

    @Nested
    @DisplayName("purity")
    class Purity {

        @Test
        @DisplayName("the batch's reward arrays are left unchanged")
        void inputIsLeftUnchanged() {
            Normalizer normalizer = create();
            theory().forAll(batches()).checkAssert(batch -> {
                List<double[]> copies = batch.stream().map(e -> e.rewards().clone()).toList();
                normalize(normalizer, batch);
                for (int i = 0; i < batch.size(); i++) {
                    assertArrayEquals(copies.get(i), batch.get(i).rewards(), 0,
                            "normalize changed the rewards of episode " + i + " it was given");
                }
            });
        }

        @Test
        @DisplayName("two normalisers fed the same batches answer each batch the same way")
        void sameStateSameInputSameOutput() {
            theory().forAll(histories()).checkAssert(history -> {
                Normalizer one = create();
                Normalizer other = create();
                for (int i = 0; i < history.size(); i++) {
                    assertSameOutput("batch " + i + " of the history", normalize(one, history.get(i)),
                            normalize(other, history.get(i)));
                }
            });
        }
    }

    @Nested
    @DisplayName("output")
    class Output {

        @Test
        @DisplayName("one new array per episode, in order, of the episode's length")
        void oneArrayPerEpisodeOfItsLength() {
            Normalizer normalizer = create();
            theory().forAll(batches()).checkAssert(batch -> {
                List<double[]> out = normalize(normalizer, batch);
                assertEquals(batch.size(), out.size(), "one reward array per episode");
                for (int i = 0; i < batch.size(); i++) {
                    assertNotNull(out.get(i), "episode " + i + " has no rewards");
                    assertEquals(batch.get(i).rewards().length, out.get(i).length,
                            "episode " + i + ": one reward per step");
                    assertNotSame(batch.get(i).rewards(), out.get(i), "episode " + i + ": the input array came back");
                }
            });
        }

        @Test
        @DisplayName("finite rewards give finite normalised rewards")
        void finiteInFiniteOut() {
            Normalizer normalizer = create();
            theory().forAll(batches()).checkAssert(batch -> {
                List<double[]> out = normalize(normalizer, batch);
                for (int i = 0; i < out.size(); i++) {
                    double[] rewards = out.get(i);
                    assertTrue(Arrays.stream(rewards).allMatch(Double::isFinite),
                            "episode " + i + " has a reward that is not finite: " + Arrays.toString(rewards));
                }
            });
        }
    }

    @Nested
    @DisplayName("checkpoint state")
    class CheckpointState {

        @Test
        @DisplayName("a saved state restored into a fresh normaliser saves the same and continues exactly")
        void restoredNormalizerContinuesExactly() {
            theory().forAll(histories(), batches()).checkAssert((history, next) -> {
                Normalizer original = create();
                feed(original, history);
                byte[] state = original.saveState();
                assertNotNull(state, "saveState returned null");
                Normalizer restored = create();
                restored.restoreState(state.clone());
                assertArrayEquals(state, restored.saveState(), "the restored normaliser saves another state");
                assertSameOutput("the next batch after restoring", normalize(original, next),
                        normalize(restored, next));
            });
        }

        @Test
        @DisplayName("restoring replaces the state, whatever the normaliser saw before")
        void restoringReplacesEarlierState() {
            theory().forAll(histories(), histories(), batches()).checkAssert((history, other, next) -> {
                Normalizer original = create();
                feed(original, history);
                Normalizer used = create();
                feed(used, other);
                used.restoreState(original.saveState());
                assertSameOutput("a normaliser that saw other batches, after restoring", normalize(original, next),
                        normalize(used, next));
            });
        }
    }
}
