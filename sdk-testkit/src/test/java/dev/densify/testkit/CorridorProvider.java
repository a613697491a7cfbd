package dev.densify.testkit;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.TaskSet;
import java.util.List;
import java.util.Locale;

/**
 * Provides corridors with one flaw, as demonstrable or plain environments; one subclass per flaw, each listed in the
 * services file (but {@link Unregistered}) with a defaults file of its own name.
 */
abstract class CorridorProvider implements EnvironmentProvider {

    /** The configuration: steps in the budget per cell of the corridor. */
    public record CorridorConfig(int budgetPerCell) {
        static CorridorConfig defaults() {
            return new CorridorConfig(2);
        }
    }

    private final Corridor.Flaw flaw;
    private final boolean demonstrable;

    CorridorProvider(Corridor.Flaw flaw, boolean demonstrable) {
        this.flaw = flaw;
        this.demonstrable = demonstrable;
    }

    @Override
    public String name() {
        if (flaw == Corridor.Flaw.NONE) {
            return demonstrable ? "corridor" : "corridor-not-demonstrable";
        }
        return "corridor-" + flaw.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String description() {
        return "walk to the end of a corridor";
    }

    private int budgetPerCell(PluginConfig config) {
        return flaw == Corridor.Flaw.IGNORES_UNKNOWN_KEYS ? config.getInt("budget_per_cell", 2)
                : config.bind(CorridorConfig.class).budgetPerCell();
    }

    @Override
    public Environment create(PluginConfig config) {
        int budget = budgetPerCell(config);
        return demonstrable ? new DemonstrableCorridor(flaw, budget) : new Corridor(flaw, budget);
    }

    @Override
    public TaskSet tasks(PluginConfig config) {
        budgetPerCell(config);
        return new TaskSet(
                List.of(Corridor.task("train-4", 4), Corridor.task("train-5", 5), Corridor.task("train-6", 6)),
                List.of(Corridor.task("held-out-8", 8)));
    }

    public static final class Correct extends CorridorProvider {
        public Correct() {
            super(Corridor.Flaw.NONE, true);
        }
    }

    public static final class NotDemonstrable extends CorridorProvider {
        public NotDemonstrable() {
            super(Corridor.Flaw.NONE, false);
        }
    }

    public static final class ForkSharesState extends CorridorProvider {
        public ForkSharesState() {
            super(Corridor.Flaw.FORK_SHARES_STATE, true);
        }
    }

    public static final class ResetIgnoresSeed extends CorridorProvider {
        public ResetIgnoresSeed() {
            super(Corridor.Flaw.RESET_IGNORES_SEED, true);
        }
    }

    public static final class KeyOmitsStepsLeft extends CorridorProvider {
        public KeyOmitsStepsLeft() {
            super(Corridor.Flaw.KEY_OMITS_STEPS_LEFT, true);
        }
    }

    public static final class StepAfterDoneAllowed extends CorridorProvider {
        public StepAfterDoneAllowed() {
            super(Corridor.Flaw.STEP_AFTER_DONE_ALLOWED, true);
        }
    }

    public static final class NanReward extends CorridorProvider {
        public NanReward() {
            super(Corridor.Flaw.NAN_REWARD, true);
        }
    }

    public static final class IgnoresUnknownKeys extends CorridorProvider {
        public IgnoresUnknownKeys() {
            super(Corridor.Flaw.IGNORES_UNKNOWN_KEYS, true);
        }
    }

    /** Not listed in the services file. */
    public static final class Unregistered extends CorridorProvider {
        public Unregistered() {
            super(Corridor.Flaw.UNREGISTERED, true);
        }
    }

    public static final class DriftedDefaults extends CorridorProvider {
        public DriftedDefaults() {
            super(Corridor.Flaw.DRIFTED_DEFAULTS, true);
        }
    }

    public static final class ProgressOffByOne extends CorridorProvider {
        public ProgressOffByOne() {
            super(Corridor.Flaw.PROGRESS_OFF_BY_ONE, true);
        }
    }

    public static final class SuccessDoesNotEnd extends CorridorProvider {
        public SuccessDoesNotEnd() {
            super(Corridor.Flaw.SUCCESS_DOES_NOT_END, true);
        }
    }
}
