package dev.densify.core.buffer.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.densify.core.redis.RedisConnection;
import dev.densify.core.redis.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisPolicyStoreIT extends PolicyStoreContract {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.ephemeral();

    private static RedisConnection connection;
    private String namespace;

    @BeforeAll
    static void connect() {
        connection = RedisConnection.open(REDIS.settings(), "densify-policy-test");
    }

    @AfterAll
    static void disconnect() {
        connection.close();
    }

    @Override
    PolicyStore newStore(int keep) {
        namespace = "policy:" + UUID.randomUUID();
        return new RedisPolicyStore(connection, namespace, keep);
    }

    @Override
    void corrupt(PolicyStore store, PolicyVersion version) {
        byte[] key = (namespace + ":policy:" + version.version() + ":" + version.sha256())
                .getBytes(StandardCharsets.UTF_8);
        try (var admin = REDIS.admin()) {
            byte[] one = admin.getrange(key, 10, 10);
            admin.setrange(key, 10, new byte[] {(byte) (one[0] ^ 0xFF)});
        }
    }

    @Test
    @DisplayName("Redis holds the kept versions' bytes and nothing else under the namespace")
    void keysAreBounded() {
        PolicyStore store = newStore(2);
        for (int v = 0; v < 6; v++) {
            store.publish(v, new byte[] {(byte) v});
        }
        try (var admin = REDIS.admin()) {
            // two versions' bytes, latest, index, sequence
            assertEquals(5, admin.keys(namespace + ":policy:*").size(), admin.keys(namespace + ":*").toString());
        }
    }
}
