package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.densify.api.API;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.RewardShaperProvider;
import dev.densify.api.reward.ShapingInput;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;

/**
 * The contract every {@link RewardShaper} keeps, as a JUnit 5 class to extend: a shaper author names the provider
 * and gets the {@linkplain PluginContractTest discovery and configuration checks} and the shaper's own promises,
 * checked over random episodes that QuickTheories shrinks to a minimal failing one.
 *
 * <pre>{@code
 * class PotentialShaperContractTest extends RewardShaperContractTest {
 *     @Override
 *     protected RewardShaperProvider provider() {
 *         return new PotentialShaperProvider();
 *     }
 * }
 * }</pre>
 *
 * <p>Shapers are chained and re-run on the same trajectories (evaluation, resumed runs), so each must be a pure
 * function of its input: it never writes to the arrays it is given and answers the same episode the same way. A
 * shaper that learns ({@link dev.densify.api.reward.LearnedShaper}) extends {@link LearnedShaperContractTest}, which
 * adds its fits and checkpoint state.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
@DisplayName("Reward shaper contract")
public abstract class RewardShaperContractTest extends PluginContractTest<RewardShaperProvider, RewardShaper> {

    @Override
    protected final Class<RewardShaperProvider> providerType() {
        return RewardShaperProvider.class;
    }

    @Override
    protected final String group() {
        return "shaper";
    }

    /** The longest episode the kit generates. */
    protected int maxLength() {
        return 20;
    }

    private QuickTheory theory() {
        return qt().withFixedSeed(propertySeed()).withExamples(examples());
    }

    /**
     * Whether the shaper reads the episode's steps (their text or {@code Signals}): then the kit's episodes carry
     * steps with random signals; otherwise they carry none, as synthetic inputs do.
     */
    protected boolean readsSteps() {
        return false;
    }

    Gen<ShapingInput> episodes() {
        return Inputs.episodes(maxLength(), readsSteps());
    }

    private static double[] shape(RewardShaper shaper, ShapingInput episode) {
        double[] shaped = shaper.shape(episode);
        assertNotNull(shaped, "shape returned null");
        return shaped;
    }

    @Override
    protected void assertSameBehaviour(String context, RewardShaper expected, RewardShaper actual) {
        theory().forAll(episodes()).checkAssert(e -> assertArrayEquals(shape(expected, e), shape(actual, e), 0,
                () -> context + " shape the episode differently"));
    }

    @Nested
    @DisplayName("purity")
    class Purity {

        @Test
        @DisplayName("the episode's step rewards and values are left unchanged")
        void inputIsLeftUnchanged() {
            RewardShaper shaper = create();
            theory().forAll(episodes()).checkAssert(e -> {
                double[] rewards = e.stepRewards().clone();
                double[] values = e.values().clone();
                shape(shaper, e);
                assertArrayEquals(rewards, e.stepRewards(), 0, "shape changed the step rewards it was given");
                assertArrayEquals(values, e.values(), 0, "shape changed the critic values it was given");
            });
        }

        @Test
        @DisplayName("the same episode is shaped the same way, by one shaper twice or by two shapers")
        void sameInputSameOutput() {
            RewardShaper shaper = create();
            RewardShaper other = create();
            theory().forAll(episodes()).checkAssert(e -> {
                double[] first = shape(shaper, e);
                assertArrayEquals(first, shape(shaper, e), 0, "shaping the episode again gave another result");
                assertArrayEquals(first, shape(other, e), 0, "a second shaper of the same configuration differs");
            });
        }
    }

    @Nested
    @DisplayName("output")
    class Output {

        @Test
        @DisplayName("one reward per step, in a new array")
        void oneRewardPerStepInANewArray() {
            RewardShaper shaper = create();
            theory().forAll(episodes()).checkAssert(e -> {
                double[] shaped = shape(shaper, e);
                assertEquals(e.length(), shaped.length, "one shaped reward per step");
                assertNotSame(e.stepRewards(), shaped, "the step rewards array itself came back");
                assertNotSame(e.values(), shaped, "the values array itself came back");
            });
        }

        @Test
        @DisplayName("finite rewards and values give finite shaped rewards")
        void finiteInFiniteOut() {
            RewardShaper shaper = create();
            theory().forAll(episodes()).checkAssert(e -> {
                double[] shaped = shape(shaper, e);
                assertTrue(Arrays.stream(shaped).allMatch(Double::isFinite),
                        () -> "a shaped reward is not finite: " + Arrays.toString(shaped));
            });
        }
    }
}
