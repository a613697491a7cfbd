package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs each plugin kit, through the JUnit Platform, against a correct fixture and against fixtures with one flaw
 * each, and checks that exactly the checks that should catch the flaw fail.
 */
@DisplayName("the plugin contract kits")
class PluginContractKitTest {

    private static Events run(Class<?> kit) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(kit)).execute().testEvents();
    }

    /** Test method name to failure message. */
    private static Map<String, String> failures(Events tests) {
        return tests.failed().stream().collect(Collectors.toMap(PluginContractKitTest::methodName,
                e -> e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                        .map(Throwable::getMessage).orElse(""), (a, b) -> a, TreeMap::new));
    }

    private static String methodName(Event event) {
        return event.getTestDescriptor().getSource().map(s -> ((MethodSource) s).getMethodName()).orElseThrow();
    }

    private static void assertPasses(Class<?> kit, int checks) {
        Events tests = run(kit);
        assertEquals(Map.of(), failures(tests));
        assertEquals(0, tests.aborted().count() + tests.skipped().count(), "no check may be skipped");
        assertEquals(checks, tests.succeeded().count(), "checks that ran");
    }

    /** Runs the kit and checks that exactly {@code failing} fail; returns their messages. */
    private static Map<String, String> assertCatches(Class<?> kit, String... failing) {
        Map<String, String> failures = failures(run(kit));
        assertEquals(Set.of(failing), failures.keySet(), failures::toString);
        return failures;
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + part + "' is not in: " + message);
        }
    }

    @Nested
    @DisplayName("every kit's discovery and configuration checks")
    class Discovery {

        @Test
        @DisplayName("catch a provider missing from the services file, naming the file")
        void catchesAnUnregisteredProvider() {
            assertMentions(assertCatches(ShaperFixtures.UnregisteredKit.class, "serviceLoaderFindsTheProvider")
                            .get("serviceLoaderFindsTheProvider"),
                    "kit-unregistered", "META-INF/services/dev.densify.api.reward.RewardShaperProvider");
        }

        @Test
        @DisplayName("catch a provider that accepts an unknown key")
        void catchesAnUnknownKeyAccepted() {
            assertMentions(assertCatches(ShaperFixtures.IgnoresUnknownKeysKit.class, "unknownKeyIsRejectedWithItsPath")
                    .get("unknownKeyIsRejectedWithItsPath"), "shaper.no_such_key");
        }

        @Test
        @DisplayName("catch a defaults file that drifted from the record's defaults()")
        void catchesDriftedDefaults() {
            assertMentions(assertCatches(ShaperFixtures.DriftedDefaultsKit.class,
                    "defaultsFileMatchesTheConfigurationRecord", "emptyConfigurationEqualsTheDefaults")
                    .get("defaultsFileMatchesTheConfigurationRecord"), "META-INF/densify/shaper/kit-drifted-defaults.yaml");
        }

        @Test
        @DisplayName("say how to name the configuration record when the naming convention finds none")
        void explainsAMissingConfigurationRecord() {
            assertMentions(assertCatches(ShaperFixtures.ConventionKit.class, "defaultsFileMatchesTheConfigurationRecord")
                    .get("defaultsFileMatchesTheConfigurationRecord"), "override configType()");
        }
    }

    @Nested
    @DisplayName("the reward shaper kit")
    class Shapers {

        @Test
        @DisplayName("passes a correct shaper")
        void passesACorrectShaper() {
            assertPasses(ShaperFixtures.CorrectKit.class, 9);
        }

        @Test
        @DisplayName("catches a shaper that writes to the values it is given")
        void catchesMutatedInput() {
            assertMentions(assertCatches(ShaperFixtures.MutatesValuesKit.class, "inputIsLeftUnchanged",
                    "sameInputSameOutput", "emptyConfigurationEqualsTheDefaults").get("inputIsLeftUnchanged"),
                    "changed the critic values", "Smallest found falsifying value(s)");
        }

        @Test
        @DisplayName("catches a shaper with unseeded noise")
        void catchesNondeterminism() {
            assertCatches(ShaperFixtures.UnseededNoiseKit.class, "sameInputSameOutput",
                    "emptyConfigurationEqualsTheDefaults");
        }

        @Test
        @DisplayName("catches a shaper that drops the last step, shrunk to a one-step episode")
        void catchesAWrongLength() {
            assertMentions(assertCatches(ShaperFixtures.DropsLastStepKit.class, "oneRewardPerStepInANewArray")
                    .get("oneRewardPerStepInANewArray"), "one shaped reward per step", "stepRewards=[");
        }

        @Test
        @DisplayName("catches a shaper that gives NaN")
        void catchesNaN() {
            assertMentions(assertCatches(ShaperFixtures.NanWhenTerminatedKit.class, "finiteInFiniteOut")
                    .get("finiteInFiniteOut"), "NaN", "terminated=true");
        }
    }

    @Nested
    @DisplayName("the learned shaper kit")
    class LearnedShapers {

        @Test
        @DisplayName("passes a correct learned shaper, with the shaper kit's checks too")
        void passesACorrectLearnedShaper() {
            assertPasses(LearnedShaperFixtures.CorrectKit.class, 13);
        }

        @Test
        @DisplayName("catches a fit that draws unseeded randomness")
        void catchesAnUnseededFit() {
            assertMentions(assertCatches(LearnedShaperFixtures.UnseededFitKit.class, "fitIsDeterministicUnderItsSeed",
                    "restoredShaperShapesAndFitsOnTheSame").get("fitIsDeterministicUnderItsSeed"),
                    "fit reported differently", "outcome=Outcome[");
        }

        @Test
        @DisplayName("catches a shaper whose checkpoint state is empty")
        void catchesALostState() {
            assertMentions(assertCatches(LearnedShaperFixtures.SavesNothingKit.class, "fitWithUpdatesChangesTheState",
                    "restoredShaperShapesAndFitsOnTheSame", "restoringReplacesEarlierFits")
                    .get("restoredShaperShapesAndFitsOnTheSame"), "shape an episode differently");
        }

        @Test
        @DisplayName("catches a restore that adds to what the shaper had learned instead of replacing it")
        void catchesAMergingRestore() {
            assertCatches(LearnedShaperFixtures.RestoreAddsKit.class, "restoringReplacesEarlierFits");
        }

        @Test
        @DisplayName("says to use the shaper kit for a shaper that does not learn")
        void refusesAShaperThatDoesNotLearn() {
            Map<String, String> failures = assertCatches(LearnedShaperFixtures.NotLearnedKit.class,
                    "fitIsDeterministicUnderItsSeed", "fitWithUpdatesChangesTheState",
                    "restoredShaperShapesAndFitsOnTheSame", "restoringReplacesEarlierFits");
            assertMentions(failures.get("restoringReplacesEarlierFits"), "not a LearnedShaper",
                    "extend RewardShaperContractTest");
        }
    }

    @Nested
    @DisplayName("the normaliser kit")
    class Normalizers {

        @Test
        @DisplayName("passes a correct, stateful normaliser")
        void passesACorrectNormalizer() {
            assertPasses(NormalizerFixtures.CorrectKit.class, 11);
        }

        @Test
        @DisplayName("catches a normaliser that writes to its input")
        void catchesMutatedInput() {
            Map<String, String> failures = failures(run(NormalizerFixtures.MutatesInputKit.class));
            assertTrue(failures.containsKey("inputIsLeftUnchanged"), failures::toString);
        }

        @Test
        @DisplayName("catches a normaliser that drops the last step")
        void catchesAWrongLength() {
            assertCatches(NormalizerFixtures.DropsLastStepKit.class, "oneArrayPerEpisodeOfItsLength");
        }

        @Test
        @DisplayName("catches a normaliser that divides by zero on an episode of equal rewards")
        void catchesNaN() {
            assertMentions(assertCatches(NormalizerFixtures.DividesByEpisodeSpreadKit.class, "finiteInFiniteOut")
                    .get("finiteInFiniteOut"), "not finite");
        }

        @Test
        @DisplayName("catches a normaliser with unseeded noise")
        void catchesNondeterminism() {
            assertCatches(NormalizerFixtures.UnseededNoiseKit.class, "sameStateSameInputSameOutput",
                    "emptyConfigurationEqualsTheDefaults", "restoredNormalizerContinuesExactly",
                    "restoringReplacesEarlierState");
        }

        @Test
        @DisplayName("catches a normaliser whose checkpoint state is empty")
        void catchesALostState() {
            assertCatches(NormalizerFixtures.SavesNothingKit.class, "restoredNormalizerContinuesExactly",
                    "restoringReplacesEarlierState");
        }

        @Test
        @DisplayName("catches a restore that adds to the state instead of replacing it")
        void catchesAMergingRestore() {
            assertCatches(NormalizerFixtures.RestoreAddsKit.class, "restoringReplacesEarlierState");
        }
    }

    @Nested
    @DisplayName("the critic kit")
    class Critics {

        @Test
        @DisplayName("passes a correct critic")
        void passesACorrectCritic() {
            assertPasses(CriticFixtures.CorrectKit.class, 13);
        }

        @Test
        @DisplayName("catches a critic that predicts NaN for states it has not seen")
        void catchesNaN() {
            assertCatches(CriticFixtures.NanForUnseenKit.class, "finiteBeforeAnyFit", "finiteAfterFits");
        }

        @Test
        @DisplayName("catches a fit that is not repeatable")
        void catchesAnUnseededFit() {
            assertCatches(CriticFixtures.UnseededFitKit.class, "fitIsDeterministic",
                    "emptyConfigurationEqualsTheDefaults", "restoredCriticFitsOnTheSame");
        }

        @Test
        @DisplayName("catches a critic whose checkpoint state is empty")
        void catchesALostState() {
            assertCatches(CriticFixtures.SavesNothingKit.class, "restoredCriticPredictsTheSame",
                    "restoringReplacesEarlierFits", "restoredCriticFitsOnTheSame");
        }

        @Test
        @DisplayName("catches a checkpoint that forgets how many fits the table averages")
        void catchesAForgottenFitCount() {
            assertCatches(CriticFixtures.ForgetsFitCountKit.class, "restoredCriticFitsOnTheSame");
        }
    }

    @Nested
    @DisplayName("the policy optimizer kit")
    class Optimizers {

        @Test
        @DisplayName("passes a correct group-relative algorithm")
        void passesACorrectAlgorithm() {
            assertPasses(OptimizerFixtures.CorrectKit.class, 9);
        }

        @Test
        @DisplayName("skips the shift invariance of an algorithm that is not group-relative")
        void skipsInvarianceWhenNotGroupRelative() {
            Events tests = run(OptimizerFixtures.NotGroupRelativeKit.class);
            assertEquals(Map.of(), failures(tests));
            assertEquals(Set.of("shiftingAGroupsOutcomesLeavesAdvantagesAlone"),
                    tests.aborted().stream().map(PluginContractKitTest::methodName).collect(Collectors.toSet()));
        }

        @Test
        @DisplayName("finds discounted returns not shift invariant, and checks the undiscounted configuration instead")
        void checksInvarianceWithItsOwnConfiguration() {
            assertCatches(OptimizerFixtures.DiscountedKit.class, "shiftingAGroupsOutcomesLeavesAdvantagesAlone");
            assertPasses(OptimizerFixtures.DiscountedWithUndiscountedInvarianceKit.class, 9);
        }

        @Test
        @DisplayName("catches a baseline taken over the whole batch instead of the group")
        void catchesABatchBaseline() {
            assertMentions(assertCatches(OptimizerFixtures.BatchBaselineKit.class,
                    "shiftingAGroupsOutcomesLeavesAdvantagesAlone").get("shiftingAGroupsOutcomesLeavesAdvantagesAlone"),
                    "to the last reward of every episode of group");
        }

        @Test
        @DisplayName("catches advantages divided by a group spread of zero")
        void catchesNaN() {
            assertMentions(assertCatches(OptimizerFixtures.DividesByGroupSpreadKit.class, "finiteAndOnePerStep")
                    .get("finiteAndOnePerStep"), "not finite");
        }

        @Test
        @DisplayName("catches an algorithm that writes into the batch's rewards")
        void catchesMutatedRewards() {
            Map<String, String> failures = failures(run(OptimizerFixtures.MutatesRewardsKit.class));
            assertTrue(failures.containsKey("batchIsLeftUnchanged"), failures::toString);
        }
    }

    @Nested
    @DisplayName("the trajectory buffer kit")
    class Buffers {
        private static final String[] EVERY_DELIVERY_CHECK = {"everyTrajectoryIsDeliveredOnceAsAppended",
            "acknowledgedAreNeverDeliveredAgain", "receiptsSettleDeliveries", "discardedAreNeverDeliveredAgain",
            "unacknowledgedAreRedelivered", "heldDeliveriesAreNotRepeated", "aTrajectoryAppendedTwiceIsDeliveredOnce",
            "emptyConfigurationEqualsTheDefaults"};

        @Test
        @DisplayName("passes a correct buffer")
        void passesACorrectBuffer() {
            assertPasses(BufferFixtures.CorrectKit.class, 12);
        }

        @Test
        @DisplayName("catches a buffer that ignores acknowledgements")
        void catchesIgnoredAcknowledgements() {
            // The late copy of the duplicate check is still dropped: its original counts as held, not settled.
            assertMentions(assertCatches(BufferFixtures.IgnoresAcknowledgementsKit.class,
                    "acknowledgedAreNeverDeliveredAgain", "receiptsSettleDeliveries", "unacknowledgedAreRedelivered")
                    .get("receiptsSettleDeliveries"), "every delivery was acknowledged by its receipt");
        }

        @Test
        @DisplayName("catches a reclaim that drops unacknowledged deliveries instead of redelivering them")
        void catchesALosingReclaim() {
            assertCatches(BufferFixtures.LosingReclaimKit.class, "unacknowledgedAreRedelivered");
        }

        @Test
        @DisplayName("catches a buffer that hands out every delivery twice")
        void catchesDoubleDelivery() {
            assertCatches(BufferFixtures.DoubleDeliveryKit.class, EVERY_DELIVERY_CHECK);
        }

        @Test
        @DisplayName("catches a buffer that redelivers held deliveries before any reclaim")
        void catchesEagerRedelivery() {
            assertCatches(BufferFixtures.EagerRedeliveryKit.class, EVERY_DELIVERY_CHECK);
        }
    }
}
