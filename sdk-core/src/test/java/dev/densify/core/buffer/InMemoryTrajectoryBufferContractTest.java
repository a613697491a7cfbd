package dev.densify.core.buffer;

import dev.densify.api.buffer.TrajectoryBufferProvider;
import dev.densify.testkit.TrajectoryBufferContractTest;

class InMemoryTrajectoryBufferContractTest extends TrajectoryBufferContractTest {
    @Override
    protected TrajectoryBufferProvider provider() {
        return new MemoryBufferProvider();
    }
}
