package dev.densify.core.buffer;

import dev.densify.core.redis.RedisConnection;
import dev.densify.core.redis.RedisServerExtension;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The buffer contract against a real redis-server; each check gets a stream of its own. */
class RedisTrajectoryBufferContractIT extends TrajectoryBufferContractTest {

    /*
     * Started and stopped by hand, not registered: a registered extension is inherited by the kit's @Nested
     * classes, and its afterAll would stop the server after the first of them, its beforeAll start the next on
     * another port than the shared connection uses.
     */
    private static final RedisServerExtension REDIS = RedisServerExtension.ephemeral();

    private static RedisConnection connection;

    @BeforeAll
    static void startAndConnect() throws Exception {
        REDIS.beforeAll(null);
        connection = RedisConnection.open(REDIS.settings(), "densify-contract");
    }

    @AfterAll
    static void disconnectAndStop() throws Exception {
        try {
            connection.close();
        } finally {
            REDIS.afterAll(null);
        }
    }

    @Override
    TrajectoryBuffer newBuffer() {
        return new RedisTrajectoryBuffer(connection, RedisBufferConfig.defaults("contract:" + UUID.randomUUID()));
    }
}
