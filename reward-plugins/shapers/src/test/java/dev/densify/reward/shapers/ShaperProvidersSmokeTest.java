package dev.densify.reward.shapers;

import dev.densify.api.reward.RewardShaperProvider;
import dev.densify.testkit.PluginContractTest;
import org.junit.jupiter.api.Test;

/** The module ships exactly these providers; each one's contract is checked by its own kit subclass. */
class ShaperProvidersSmokeTest {

    @Test
    void serviceLoaderFindsExactlyTheBundledProviders() {
        PluginContractTest.assertServiceLoaderFindsExactly(RewardShaperProvider.class, "none", "potential", "gated", "clip-delta",
                "task-reward");
    }
}
