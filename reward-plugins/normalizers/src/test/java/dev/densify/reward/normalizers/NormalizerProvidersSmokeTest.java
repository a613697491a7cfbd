package dev.densify.reward.normalizers;

import dev.densify.api.reward.NormalizerProvider;
import dev.densify.testkit.PluginContractTest;
import org.junit.jupiter.api.Test;

/** The module ships exactly these providers; each one's contract is checked by its own kit subclass. */
class NormalizerProvidersSmokeTest {

    @Test
    void serviceLoaderFindsExactlyTheBundledProviders() {
        PluginContractTest.assertServiceLoaderFindsExactly(NormalizerProvider.class, "none", "running", "group", "clip", "par");
    }
}
