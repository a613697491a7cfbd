package dev.densify.reward.critic.tabular;

import dev.densify.api.critic.CriticProvider;
import dev.densify.testkit.CriticContractTest;

class TabularCriticContractTest extends CriticContractTest {
    @Override
    protected CriticProvider provider() {
        return new TabularCriticProvider();
    }
}
