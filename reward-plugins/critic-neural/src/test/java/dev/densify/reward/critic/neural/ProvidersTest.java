package dev.densify.reward.critic.neural;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticProvider;
import dev.densify.testkit.PluginContractTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the kits ({@code MlpCriticContractTest}, {@code TransformerCriticContractTest}) do not check. */
class ProvidersTest {

    @Test
    void serviceLoaderFindsTheMlpAndTransformerCritics() {
        PluginContractTest.assertServiceLoaderFindsExactly(CriticProvider.class, "mlp", "transformer");
    }

    @Test
    void bothHeadsWorkOnTheFrozenPolicysFeatures() {
        for (CriticProvider provider : List.of(new MlpCriticProvider(), new TransformerCriticProvider())) {
            try (Critic critic = provider.create(PluginConfig.empty("critic"))) {
                assertTrue(critic.needsFeatures(), provider.name());
            }
        }
    }
}
