package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.api.API;
import dev.densify.api.reward.LearnedShaper;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.ShapingInput;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The contract of a {@link LearnedShaper}: every {@linkplain RewardShaperContractTest shaper's} checks, plus what
 * fitting and checkpoints promise, checked over random batches of finished episodes. The author of a learned shaper
 * extends this kit instead of {@link RewardShaperContractTest} and names the provider the same way.
 *
 * <pre>{@code
 * class SpaProgressShaperContractTest extends LearnedShaperContractTest {
 *     @Override
 *     protected RewardShaperProvider provider() {
 *         return new SpaProgressShaperProvider();
 *     }
 * }
 * }</pre>
 *
 * <p>A resumed run restores the shaper's saved state and must then shape and fit on exactly as the run that saved it
 * would have, so fits are deterministic under their seed and a restored state replaces whatever the shaper held.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
@DisplayName("Learned shaper contract")
public abstract class LearnedShaperContractTest extends RewardShaperContractTest {

    /** Random pairs of batches each fitting check tries: every one trains models, so fewer than the shaping checks. */
    protected int fitExamples() {
        return 3;
    }

    /** Episodes per fitted batch. */
    protected int batchSize() {
        return 8;
    }

    @Override
    protected boolean readsSteps() {
        return true;
    }

    private Gen<List<ShapingInput>> batches() {
        return lists().of(episodes()).ofSize(batchSize()).describedAs(batch -> batch.stream()
                .map(Inputs::describeEpisode).collect(Collectors.joining(", ", "[", "]")));
    }

    private void forAllBatchPairs(java.util.function.BiConsumer<List<ShapingInput>, List<ShapingInput>> check) {
        qt().withFixedSeed(propertySeed()).withExamples(fitExamples()).forAll(batches(), batches())
                .checkAssert(check);
    }

    private LearnedShaper learned() {
        RewardShaper shaper = create();
        assertTrue(shaper instanceof LearnedShaper, () -> provider().name() + " creates a "
                + shaper.getClass().getName() + ", not a LearnedShaper: extend RewardShaperContractTest instead");
        return (LearnedShaper) shaper;
    }

    private static LearnedShaper.Fit fit(LearnedShaper shaper, List<ShapingInput> batch, long seed) {
        LearnedShaper.Fit fit = shaper.fit(batch, seed);
        assertNotNull(fit, "fit returned null");
        return fit;
    }

    private static byte[] save(LearnedShaper shaper) {
        byte[] state = shaper.saveState();
        assertNotNull(state, "saveState returned null");
        return state;
    }

    private static void assertShapesAlike(String context, LearnedShaper expected, LearnedShaper actual,
                                          List<ShapingInput> episodes) {
        for (ShapingInput e : episodes) {
            assertArrayEquals(expected.shape(e), actual.shape(e), 0, context);
        }
    }

    @Nested
    @DisplayName("fitting")
    class Fitting {

        @Test
        @DisplayName("the same fits under the same seeds give the same reports, the same state and the same shaping")
        void fitIsDeterministicUnderItsSeed() {
            forAllBatchPairs((first, second) -> {
                LearnedShaper one = learned();
                LearnedShaper other = learned();
                assertEquals(fit(one, first, 1), fit(other, first, 1), "the first fit reported differently");
                assertEquals(fit(one, second, 2), fit(other, second, 2), "the second fit reported differently");
                assertArrayEquals(save(one), save(other), "two shapers fitted alike save different states");
                assertShapesAlike("two shapers fitted alike shape an episode differently", one, other, second);
            });
        }

        @Test
        @DisplayName("fits on episodes with steps take updates, and a fit that takes updates changes the saved state")
        void fitWithUpdatesChangesTheState() {
            int[] updating = {0};
            forAllBatchPairs((first, second) -> {
                LearnedShaper shaper = learned();
                byte[] before = save(shaper);
                LearnedShaper.Fit fit = fit(shaper, first, 1);
                if (fit.updates() > 0) {
                    updating[0]++;
                    assertFalse(Arrays.equals(before, save(shaper)), () -> "the state saved after " + fit
                            + " is the state saved before it");
                }
            });
            // Otherwise the checkpoint checks would compare unlearned shapers and prove nothing.
            assertTrue(updating[0] > 0, () -> "no fit of " + fitExamples() + " random batches took an update");
        }
    }

    @Nested
    @DisplayName("checkpoint state")
    class CheckpointState {

        @Test
        @DisplayName("a saved state restored into a fresh shaper shapes, saves and fits on exactly as the original")
        void restoredShaperShapesAndFitsOnTheSame() {
            forAllBatchPairs((first, second) -> {
                LearnedShaper original = learned();
                fit(original, first, 1);
                byte[] state = save(original);
                LearnedShaper restored = learned();
                restored.restoreState(state.clone());
                assertShapesAlike("the restored shaper shapes an episode differently", original, restored, second);
                assertArrayEquals(state, save(restored), "the restored shaper saves another state");
                assertEquals(fit(original, second, 2), fit(restored, second, 2), "the next fit reports differently");
                assertShapesAlike("after the next fit they shape an episode differently", original, restored, first);
            });
        }

        @Test
        @DisplayName("restoring replaces what the shaper had learned")
        void restoringReplacesEarlierFits() {
            forAllBatchPairs((first, second) -> {
                LearnedShaper original = learned();
                fit(original, first, 1);
                LearnedShaper used = learned();
                fit(used, second, 7);
                used.restoreState(save(original));
                assertShapesAlike("a shaper fitted on another batch shapes differently after restoring", original,
                        used, second);
                assertArrayEquals(save(original), save(used), "a shaper fitted on another batch saves another state"
                        + " after restoring");
            });
        }
    }
}
