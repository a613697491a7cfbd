package dev.densify.algo.grpo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.api.config.PluginConfig;
import dev.densify.testkit.PluginContractTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the kits ({@code GrpoContractTest}, {@code RlooContractTest}, {@code GigpoContractTest}) do not check. */
class ProvidersTest {

    @Test
    void serviceLoaderFindsGrpoRlooAndGigpo() {
        PluginContractTest.assertServiceLoaderFindsExactly(PolicyOptimizerProvider.class, "grpo", "rloo", "gigpo");
    }

    @Test
    void noneUsesTheCriticAndGrpoWithoutKlIsStillGrpo() {
        for (PolicyOptimizerProvider provider : List.of(new GrpoProvider(), new RlooProvider(), new GigpoProvider())) {
            assertFalse(provider.create(PluginConfig.empty("algo")).usesCritic(), provider.name());
        }
        assertInstanceOf(GrpoOptimizer.class, new GrpoProvider().create(PluginConfig.of("algo", Map.of("beta", 0))));
    }
}
