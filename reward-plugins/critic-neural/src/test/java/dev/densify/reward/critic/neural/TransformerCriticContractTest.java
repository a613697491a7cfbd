package dev.densify.reward.critic.neural;

import dev.densify.api.critic.CriticProvider;
import dev.densify.testkit.CriticContractTest;

class TransformerCriticContractTest extends CriticContractTest {
    @Override
    protected CriticProvider provider() {
        return new TransformerCriticProvider();
    }
}
