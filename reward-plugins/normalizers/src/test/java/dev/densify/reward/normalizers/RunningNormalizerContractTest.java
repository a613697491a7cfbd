package dev.densify.reward.normalizers;

import dev.densify.api.reward.NormalizerProvider;
import dev.densify.testkit.NormalizerContractTest;

class RunningNormalizerContractTest extends NormalizerContractTest {
    @Override
    protected NormalizerProvider provider() {
        return new RunningNormalizerProvider();
    }
}
