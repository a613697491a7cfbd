package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** Runs the kit, through the JUnit Platform, against a correct corridor and against corridors with one flaw each. */
@DisplayName("the environment contract kit")
class EnvironmentContractKitTest {

    private static Events run(Class<? extends EnvironmentContractTest> kit) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(kit)).execute().testEvents();
    }

    /** Test method name to failure message. */
    private static Map<String, String> failures(Events tests) {
        return tests.failed().stream().collect(Collectors.toMap(EnvironmentContractKitTest::methodName,
                e -> e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                        .map(Throwable::getMessage).orElse(""), (a, b) -> a, TreeMap::new));
    }

    private static String methodName(Event event) {
        return event.getTestDescriptor().getSource().map(s -> ((MethodSource) s).getMethodName()).orElseThrow();
    }

    @Test
    @DisplayName("passes a correct environment, demonstration included")
    void passesACorrectEnvironment() {
        Events tests = run(CorridorKits.Correct.class);
        assertEquals(Map.of(), failures(tests));
        assertEquals(0, tests.aborted().count() + tests.skipped().count(), "no check may be skipped");
        assertTrue(tests.succeeded().count() >= 20, () -> "only " + tests.succeeded().count() + " checks ran");
    }

    @Test
    @DisplayName("skips only the demonstration checks of an environment that is not Demonstrable")
    void skipsDemonstrationsOfANonDemonstrableEnvironment() {
        Events tests = run(CorridorKits.CorrectButNotDemonstrable.class);
        assertEquals(Map.of(), failures(tests));
        assertEquals(Set.of("everyTaskIsDemonstrated", "demonstrationFromAnyStateSucceeds",
                        "demonstratingLeavesTheStateAlone"),
                tests.aborted().stream().map(EnvironmentContractKitTest::methodName).collect(Collectors.toSet()));
    }

    @Test
    @DisplayName("catches a fork that shares its original's state, and shrinks the episode to one action")
    void catchesAForkThatSharesState() {
        Map<String, String> failures = failures(run(CorridorKits.ForkSharesState.class));
        assertEquals(Set.of("forkStartsInTheSameState", "steppingAForkLeavesTheOriginalAlone",
                "steppingTheOriginalLeavesTheForkAlone"), failures.keySet());
        String message = failures.get("forkStartsInTheSameState");
        assertTrue(message.contains("Smallest found falsifying value(s)")
                && message.contains("choices [], [0]}")
                && message.contains("a fork after task 'train-4' seed 0 actions [] then [left] differs"), message);
    }

    @Test
    @DisplayName("catches a reset that ignores its seed for a random start of its own")
    void catchesAResetThatIgnoresItsSeed() {
        Map<String, String> failures = failures(run(CorridorKits.ResetIgnoresSeed.class));
        assertTrue(failures.keySet().containsAll(Set.of("resetIsRepeatable",
                "sameTaskSeedAndActionsGiveTheSameEpisode")), failures::toString);
    }

    @Test
    @DisplayName("catches a state key that leaves out part of the state")
    void catchesAStateKeyThatOmitsPartOfTheState() {
        Map<String, String> failures = failures(run(CorridorKits.KeyOmitsStepsLeft.class));
        assertEquals(Set.of("equalKeysMeanEqualStates"), failures.keySet());
        assertTrue(failures.get("equalKeysMeanEqualStates").contains("state key 'train-4@"), failures::toString);
    }

    @Test
    @DisplayName("catches a step after the end of the episode that does not throw")
    void catchesAStepAfterDoneThatDoesNotThrow() {
        Map<String, String> failures = failures(run(CorridorKits.StepAfterDoneAllowed.class));
        assertEquals(Set.of("stepAfterDoneThrows"), failures.keySet());
        assertTrue(failures.get("stepAfterDoneThrows").contains("did not throw IllegalStateException"),
                failures::toString);
    }

    @Test
    @DisplayName("catches a NaN reward")
    void catchesANanReward() {
        Map<String, String> failures = failures(run(CorridorKits.NanReward.class));
        assertEquals(Set.of("rewardsAndScoresAreFinite"), failures.keySet());
        assertTrue(failures.get("rewardsAndScoresAreFinite").contains(" is NaN"), failures::toString);
    }

    /** Runs the kit and checks that exactly {@code failing} fail; returns their messages. */
    private static Map<String, String> assertCatches(Class<? extends EnvironmentContractTest> kit, String... failing) {
        Map<String, String> failures = failures(run(kit));
        assertEquals(Set.of(failing), failures.keySet(), failures::toString);
        return failures;
    }

    @Test
    @DisplayName("catches a provider missing from the services file, naming the file")
    void catchesAnUnregisteredProvider() {
        String message = assertCatches(CorridorKits.Unregistered.class, "serviceLoaderFindsTheProvider")
                .get("serviceLoaderFindsTheProvider");
        assertTrue(message.contains("META-INF/services/dev.densify.api.env.EnvironmentProvider"), message);
    }

    @Test
    @DisplayName("catches a provider that accepts an unknown key, in create and in tasks")
    void catchesAnUnknownKeyAccepted() {
        Map<String, String> failures = assertCatches(CorridorKits.IgnoresUnknownKeys.class,
                "unknownKeyIsRejectedWithItsPath", "tasksRejectAnUnknownKeyWithItsPath");
        assertTrue(failures.values().stream().allMatch(m -> m.contains("env.no_such_key")), failures::toString);
    }

    @Test
    @DisplayName("catches a defaults file that drifted from the record, and that it plays other episodes")
    void catchesDriftedDefaults() {
        Map<String, String> failures = assertCatches(CorridorKits.DriftedDefaults.class,
                "defaultsFileMatchesTheConfigurationRecord", "emptyConfigurationEqualsTheDefaults");
        assertTrue(failures.get("defaultsFileMatchesTheConfigurationRecord")
                .contains("META-INF/densify/env/corridor-drifted-defaults.yaml"), failures::toString);
        assertTrue(failures.get("emptyConfigurationEqualsTheDefaults").contains("from an empty node and from"),
                failures::toString);
    }

    @Test
    @DisplayName("catches a progress signal above 1 at the goal")
    void catchesProgressOutOfRange() {
        String message = assertCatches(CorridorKits.ProgressOffByOne.class, "progressSignalIsInRangeAndOneOnSuccess")
                .get("progressSignalIsInRangeAndOneOnSuccess");
        assertTrue(message.contains("is not a number in [0, 1]"), message);
    }

    @Test
    @DisplayName("catches a demonstration that succeeds without ending the episode")
    void catchesASuccessThatDoesNotEnd() {
        Map<String, String> failures = assertCatches(CorridorKits.SuccessDoesNotEnd.class, "everyTaskIsDemonstrated",
                "demonstrationFromAnyStateSucceeds");
        assertTrue(failures.values().stream().allMatch(m -> m.contains("succeeded without ending the episode")),
                failures::toString);
    }
}
