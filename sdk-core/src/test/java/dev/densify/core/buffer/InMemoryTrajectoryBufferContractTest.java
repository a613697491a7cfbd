package dev.densify.core.buffer;

class InMemoryTrajectoryBufferContractTest extends TrajectoryBufferContractTest {
    @Override
    TrajectoryBuffer newBuffer() {
        return new InMemoryTrajectoryBuffer(64);
    }
}
