package dev.densify.rm.shaper;

import dev.densify.api.reward.RewardShaperProvider;
import dev.densify.testkit.RewardShaperContractTest;
import java.util.Optional;

/**
 * The shaper kit over a real logs model fitted on a tiny log file. The kit also creates shapers from the empty
 * defaults, whose {@code model} is blank (no model can be a default): the provider under test reads the fixture
 * then, as if it had been named.
 */
class RewardModelShaperContractTest extends RewardShaperContractTest {
    @Override
    protected RewardShaperProvider provider() {
        return new RewardModelShaperProvider(Optional.of(TinyModels.logsModel()));
    }

    @Override
    protected boolean readsSteps() {
        return true;
    }

    /** Each example is a real model call on its own thread: fewer than the kit's 1000 keep the suite fast. */
    @Override
    protected int examples() {
        return 200;
    }
}
