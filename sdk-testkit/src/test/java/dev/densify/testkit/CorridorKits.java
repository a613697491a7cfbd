package dev.densify.testkit;

import dev.densify.api.env.EnvironmentProvider;

/**
 * The contract kit adopted by corridors, one class per flaw. They are run by {@link EnvironmentContractKitTest}
 * through the JUnit Platform, never by Surefire directly: nested classes of a class whose name does not end in Test
 * match none of Surefire's patterns.
 */
final class CorridorKits {
    private CorridorKits() {
    }

    static class Correct extends EnvironmentContractTest {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider(Corridor.Flaw.NONE, true);
        }
    }

    static class CorrectButNotDemonstrable extends EnvironmentContractTest {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider(Corridor.Flaw.NONE, false);
        }
    }

    static class ForkSharesState extends EnvironmentContractTest {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider(Corridor.Flaw.FORK_SHARES_STATE, true);
        }
    }

    static class ResetIgnoresSeed extends EnvironmentContractTest {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider(Corridor.Flaw.RESET_IGNORES_SEED, true);
        }
    }

    static class KeyOmitsStepsLeft extends EnvironmentContractTest {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider(Corridor.Flaw.KEY_OMITS_STEPS_LEFT, true);
        }
    }

    static class StepAfterDoneAllowed extends EnvironmentContractTest {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider(Corridor.Flaw.STEP_AFTER_DONE_ALLOWED, true);
        }
    }

    static class NanReward extends EnvironmentContractTest {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider(Corridor.Flaw.NAN_REWARD, true);
        }
    }
}
