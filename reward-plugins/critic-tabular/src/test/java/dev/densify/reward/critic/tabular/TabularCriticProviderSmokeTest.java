package dev.densify.reward.critic.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticProvider;
import dev.densify.api.critic.CriticSample;
import dev.densify.api.critic.CriticState;
import dev.densify.testkit.PluginContractTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the kit ({@link TabularCriticContractTest}) does not check: that the module ships the tabular critic only,
 * what its defaults predict, and how it reports a bad value.
 */
class TabularCriticProviderSmokeTest {

    @Test
    void serviceLoaderFindsOnlyTheTabularCritic() {
        PluginContractTest.assertServiceLoaderFindsExactly(CriticProvider.class, "tabular");
    }

    @Test
    void withItsDefaultsAStateSeenTwiceAndAnUnseenOneGetTheMeanReturn() throws Exception {
        try (Critic critic = new TabularCriticProvider().create(PluginConfig.empty("critic"))) {
            List<CriticSample> train = List.of(new CriticSample(CriticState.ofKey("a"), 1),
                    new CriticSample(CriticState.ofKey("a"), 0), new CriticSample(CriticState.ofKey("b"), 0.5));
            critic.fit(train, List.of());
            List<CriticState> states = List.of(CriticState.ofKey("a"), CriticState.ofKey("b"), CriticState.ofKey("c"));
            assertArrayEquals(new double[] {0.5, 0.5, 0.5}, critic.predict(states), 1e-12);
        }
    }

    @Test
    void badValuesNameWhatIsAllowed() {
        CriticProvider provider = new TabularCriticProvider();
        ConfigException mode = assertThrows(ConfigException.class,
                () -> provider.create(PluginConfig.of("critic", Map.of("mode", "average"))));
        assertTrue(mode.getMessage().contains("[refit, accumulate]"), mode.getMessage());
        ConfigException unseen = assertThrows(ConfigException.class,
                () -> provider.create(PluginConfig.of("critic", Map.of("unseen", "zero"))));
        assertTrue(unseen.getMessage().contains("[mean, constant]"), unseen.getMessage());
    }
}
