package dev.densify.algo.ppo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.algo.PolicyOptimizer;
import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.api.config.PluginConfig;
import dev.densify.testkit.PluginContractTest;
import org.junit.jupiter.api.Test;

/** What the kit ({@link PpoContractTest}) does not check. */
class ProvidersTest {

    @Test
    void serviceLoaderFindsPpo() {
        PluginContractTest.assertServiceLoaderFindsExactly(PolicyOptimizerProvider.class, "ppo");
    }

    @Test
    void ppoUsesTheCriticAndByDefaultAKlToTheReference() {
        PolicyOptimizer ppo = new PpoProvider().create(PluginConfig.empty("algo"));
        assertTrue(ppo.usesCritic());
        assertTrue(ppo.usesReference());
        assertFalse(new PpoProvider().create(PluginConfig.of("algo", java.util.Map.of("beta", 0))).usesReference());
    }
}
