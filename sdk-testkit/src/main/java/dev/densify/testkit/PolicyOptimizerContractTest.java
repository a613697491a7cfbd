package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.densify.api.API;
import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.algo.PolicyOptimizer;
import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.api.algo.StepAdvantages;
import dev.densify.api.config.PluginConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;

/**
 * The contract every {@link PolicyOptimizer} keeps in its advantage half, as a JUnit 5 class to extend: an
 * algorithm author names the provider and gets the {@linkplain PluginContractTest discovery and configuration
 * checks} and the advantage checks over random batches that QuickTheories shrinks.
 *
 * <pre>{@code
 * class GrpoContractTest extends PolicyOptimizerContractTest {
 *     @Override
 *     protected PolicyOptimizerProvider provider() {
 *         return new GrpoProvider();
 *     }
 *
 *     @Override
 *     protected boolean groupRelative() {
 *         return true;
 *     }
 * }
 * }</pre>
 *
 * <p>A group-relative algorithm (GRPO, RLOO, GiGPO) judges an episode only against the other episodes of its
 * group, so a constant added to the outcome of every episode of one group, which lands on each episode's last
 * step, must leave every advantage as it was. That holds for undiscounted returns; an algorithm that discounts by
 * default names an undiscounted configuration in {@link #groupRelativeConfig()}. The loss half needs a tensor
 * engine and is not checked here.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
@DisplayName("Policy optimizer contract")
public abstract class PolicyOptimizerContractTest
        extends PluginContractTest<PolicyOptimizerProvider, PolicyOptimizer> {

    /** How far two advantages may differ after a shift of a group's outcome: rounding in mean and deviation. */
    private static final double SHIFT_TOLERANCE = 1e-9;

    @Override
    protected final Class<PolicyOptimizerProvider> providerType() {
        return PolicyOptimizerProvider.class;
    }

    @Override
    protected final String group() {
        return "algo";
    }

    /** Whether advantages compare episodes within their group only; then the shift invariance is checked. */
    protected boolean groupRelative() {
        return false;
    }

    /** The configuration the shift invariance is checked with; {@link #config()} by default. */
    protected PluginConfig groupRelativeConfig() {
        return config();
    }

    private QuickTheory theory() {
        return qt().withFixedSeed(propertySeed()).withExamples(examples());
    }

    private static List<StepAdvantages> advantages(PolicyOptimizer optimizer, List<EpisodeRewards> batch) {
        List<StepAdvantages> out = optimizer.advantages(batch);
        assertNotNull(out, "advantages returned null");
        assertEquals(batch.size(), out.size(), "one StepAdvantages per episode");
        return out;
    }

    private static void assertSameAdvantages(String context, List<StepAdvantages> expected,
                                             List<StepAdvantages> actual, double tolerance) {
        for (int i = 0; i < expected.size(); i++) {
            int episode = i;
            assertArrayEquals(expected.get(i).advantages(), actual.get(i).advantages(), tolerance,
                    () -> context + ": the advantages of episode " + episode + " differ");
        }
    }

    @Override
    protected void assertSameBehaviour(String context, PolicyOptimizer expected, PolicyOptimizer actual) {
        assertEquals(expected.usesCritic(), actual.usesCritic(), () -> context + " differ in usesCritic()");
        assertEquals(expected.usesReference(), actual.usesReference(), () -> context + " differ in usesReference()");
        theory().forAll(Inputs.algorithmBatches(0)).checkAssert(batch -> {
            List<StepAdvantages> one = advantages(expected, batch);
            List<StepAdvantages> other = advantages(actual, batch);
            assertSameAdvantages(context, one, other, 0);
            for (int i = 0; i < one.size(); i++) {
                assertArrayEquals(one.get(i).returns(), other.get(i).returns(), 0,
                        context + ": the returns of episode " + i + " differ");
            }
        });
    }

    @Nested
    @DisplayName("advantages")
    class Advantages {

        @Test
        @DisplayName("one finite advantage and one finite return per step of every episode")
        void finiteAndOnePerStep() {
            PolicyOptimizer optimizer = create();
            theory().forAll(Inputs.algorithmBatches(0)).checkAssert(batch -> {
                List<StepAdvantages> out = advantages(optimizer, batch);
                for (int i = 0; i < batch.size(); i++) {
                    StepAdvantages step = out.get(i);
                    assertNotNull(step, "episode " + i + " has no advantages");
                    assertEquals(batch.get(i).rewards().length, step.advantages().length,
                            "episode " + i + ": one advantage per step");
                    assertTrue(Arrays.stream(step.advantages()).allMatch(Double::isFinite),
                            "episode " + i + " has an advantage that is not finite: "
                                    + Arrays.toString(step.advantages()));
                    assertTrue(Arrays.stream(step.returns()).allMatch(Double::isFinite),
                            "episode " + i + " has a return that is not finite: " + Arrays.toString(step.returns()));
                }
            });
        }

        @Test
        @DisplayName("the batch's rewards and values are left unchanged")
        void batchIsLeftUnchanged() {
            PolicyOptimizer optimizer = create();
            theory().forAll(Inputs.algorithmBatches(0)).checkAssert(batch -> {
                List<double[]> rewards = batch.stream().map(e -> e.rewards().clone()).toList();
                List<double[]> values = batch.stream().map(e -> e.values().clone()).toList();
                advantages(optimizer, batch);
                for (int i = 0; i < batch.size(); i++) {
                    assertArrayEquals(rewards.get(i), batch.get(i).rewards(), 0, "episode " + i + ": rewards changed");
                    assertArrayEquals(values.get(i), batch.get(i).values(), 0, "episode " + i + ": values changed");
                }
            });
        }

        @Test
        @DisplayName("the same batch gives the same advantages, from one optimizer twice or from two")
        void sameBatchSameAdvantages() {
            PolicyOptimizer optimizer = create();
            PolicyOptimizer other = create();
            theory().forAll(Inputs.algorithmBatches(0)).checkAssert(batch -> {
                List<StepAdvantages> first = advantages(optimizer, batch);
                assertSameAdvantages("the same batch again", first, advantages(optimizer, batch), 0);
                assertSameAdvantages("a second optimizer", first, advantages(other, batch), 0);
            });
        }
    }

    @Nested
    @DisplayName("group-relative advantages")
    class GroupRelative {

        @Test
        @DisplayName("adding a constant to the outcome of every episode of a group leaves every advantage unchanged")
        void shiftingAGroupsOutcomesLeavesAdvantagesAlone() {
            assumeTrue(groupRelative(), "the algorithm does not declare itself group-relative (groupRelative())");
            PolicyOptimizer optimizer = create(groupRelativeConfig());
            Gen<Integer> constants = integers().between(-20, 19).map(c -> c >= 0 ? c + 1 : c); // never 0
            theory().forAll(Inputs.algorithmBatches(1), integers().between(0, 2), constants)
                    .checkAssert((batch, group, constant) -> {
                        String shifted = "g" + Math.min(group, batch.stream().mapToInt(
                                e -> Integer.parseInt(e.groupId().substring(1))).max().orElse(0));
                        List<EpisodeRewards> moved = new ArrayList<>();
                        for (EpisodeRewards e : batch) {
                            double[] rewards = e.rewards().clone();
                            if (e.groupId().equals(shifted)) {
                                rewards[rewards.length - 1] += constant;
                            }
                            moved.add(new EpisodeRewards(e.groupId(), rewards, e.values(), e.terminated(),
                                    e.stateKeys()));
                        }
                        assertSameAdvantages("adding " + constant + " to the last reward of every episode of group "
                                        + shifted, advantages(optimizer, batch), advantages(optimizer, moved),
                                SHIFT_TOLERANCE);
                    });
        }
    }
}
