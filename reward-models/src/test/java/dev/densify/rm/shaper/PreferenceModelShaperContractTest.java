package dev.densify.rm.shaper;

import dev.densify.api.reward.RewardShaperProvider;
import dev.densify.testkit.RewardShaperContractTest;
import java.util.Optional;

/**
 * The shaper kit over a preference model on the stories260K encoder: scoring every prefix of an episode through
 * densify's Llama must be as pure and repeatable as the logs model. Fewer and shorter episodes than the kit's
 * defaults: each example encodes its prefixes with the real model.
 */
class PreferenceModelShaperContractTest extends RewardShaperContractTest {
    @Override
    protected RewardShaperProvider provider() {
        return new RewardModelShaperProvider(Optional.of(TinyModels.preferenceModel()));
    }

    @Override
    protected boolean readsSteps() {
        return true;
    }

    @Override
    protected int maxLength() {
        return 8;
    }

    @Override
    protected int examples() {
        return 40;
    }
}
