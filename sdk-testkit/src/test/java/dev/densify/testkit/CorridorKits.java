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

    /** The corridors' record is not named after their providers, so the kit is told it. */
    abstract static class Kit extends EnvironmentContractTest {
        @Override
        protected Class<? extends Record> configType() {
            return CorridorProvider.CorridorConfig.class;
        }
    }

    static class Correct extends Kit {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider.Correct();
        }
    }

    static class CorrectButNotDemonstrable extends Kit {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider.NotDemonstrable();
        }
    }

    static class ForkSharesState extends Kit {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider.ForkSharesState();
        }
    }

    static class ResetIgnoresSeed extends Kit {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider.ResetIgnoresSeed();
        }
    }

    static class KeyOmitsStepsLeft extends Kit {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider.KeyOmitsStepsLeft();
        }
    }

    static class StepAfterDoneAllowed extends Kit {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider.StepAfterDoneAllowed();
        }
    }

    static class NanReward extends Kit {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider.NanReward();
        }
    }

    static class IgnoresUnknownKeys extends Kit {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider.IgnoresUnknownKeys();
        }
    }

    static class Unregistered extends Kit {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider.Unregistered();
        }
    }

    static class DriftedDefaults extends Kit {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider.DriftedDefaults();
        }
    }

    static class ProgressOffByOne extends Kit {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider.ProgressOffByOne();
        }
    }

    static class SuccessDoesNotEnd extends Kit {
        @Override
        protected EnvironmentProvider provider() {
            return new CorridorProvider.SuccessDoesNotEnd();
        }
    }
}
