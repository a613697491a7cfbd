package dev.densify.core.buffer;

import dev.densify.api.buffer.TrajectoryBufferProvider;
import dev.densify.api.config.PluginConfig;
import dev.densify.core.redis.RedisServerExtension;
import dev.densify.testkit.TrajectoryBufferContractTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The buffer contract against a real redis-server; each buffer gets a stream of its own. */
class RedisTrajectoryBufferContractIT extends TrajectoryBufferContractTest {

    /*
     * Started and stopped by hand, not registered: a registered extension is inherited by the kit's @Nested
     * classes, and its afterAll would stop the server after the first of them, its beforeAll start the next on
     * another port than the buffers use.
     */
    private static final RedisServerExtension REDIS = RedisServerExtension.ephemeral();

    @BeforeAll
    static void start() throws Exception {
        REDIS.beforeAll(null);
    }

    @AfterAll
    static void stop() throws Exception {
        REDIS.afterAll(null);
    }

    @Override
    protected TrajectoryBufferProvider provider() {
        return new RedisBufferProvider();
    }

    @Override
    protected Class<? extends Record> configType() {
        return RemoteSettings.class;
    }

    @Override
    protected PluginConfig config() {
        return PluginConfig.of("buffer", Map.of("url", REDIS.url(),
                "namespace", "contract:" + UUID.randomUUID()));
    }
}
