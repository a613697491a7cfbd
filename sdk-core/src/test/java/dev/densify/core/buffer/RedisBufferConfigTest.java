package dev.densify.core.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RedisBufferConfigTest {

    @Test
    @DisplayName("keys live under the namespace; withers change one thing")
    void keysAndWithers() {
        RedisBufferConfig config = RedisBufferConfig.defaults("densify:run-7");
        assertEquals("densify:run-7:trajectories", config.streamKey());
        assertEquals("learner", config.consumer());
        RedisBufferConfig worker = config.withConsumer("worker-3").withMaxLength(50);
        assertEquals("worker-3", worker.consumer());
        assertEquals(50, worker.maxLength());
        assertEquals(config.group(), worker.group());
        assertEquals(config.claimMinIdle(), worker.claimMinIdle());
    }

    @Test
    @DisplayName("bad values are refused with the key's name and what is allowed")
    void validation() {
        var config = RedisBufferConfig.defaults("ns");
        assertMessage(() -> RedisBufferConfig.defaults("has space"), "namespace 'has space' must be");
        assertMessage(() -> config.withConsumer(""), "consumer '' must be non-empty");
        assertMessage(() -> config.withMaxLength(0), "max_length must be at least 1");
        assertMessage(() -> config.withClaimMinIdle(Duration.ZERO), "claim_min_idle must be positive");
        assertMessage(() -> config.withSilentAfter(Duration.ofSeconds(-1)), "silent_after must be positive");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String expected) {
        var e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
