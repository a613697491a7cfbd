package dev.densify.core.buffer.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What every {@link PolicyStore} must do; a store's test extends this and says how to make and corrupt one. */
abstract class PolicyStoreContract {

    /** A fresh, empty store that keeps the newest {@code keep} versions. */
    abstract PolicyStore newStore(int keep);

    /** Changes one byte of the stored bytes of {@code version}, behind the store's back. */
    abstract void corrupt(PolicyStore store, PolicyVersion version) throws Exception;

    @Test
    @DisplayName("an empty store has no latest version")
    void empty() {
        try (PolicyStore store = newStore(2)) {
            assertEquals(Optional.empty(), store.latest());
        }
    }

    @Test
    @DisplayName("the latest published version comes back with its sha256, size and bytes")
    void publishThenFetch() {
        try (PolicyStore store = newStore(2)) {
            byte[] weights = randomBytes(100_000, 1);
            PolicyVersion published = store.publish(3, weights);
            assertEquals(PolicyStoreChecks.sha256Hex(weights), published.sha256());
            assertEquals(weights.length, published.sizeBytes());
            assertEquals(Optional.of(published), store.latest());
            assertArrayEquals(weights, store.fetch(store.latest().orElseThrow()));
            byte[] next = "v4".getBytes(StandardCharsets.UTF_8);
            store.publish(4, next);
            assertEquals(4, store.latest().orElseThrow().version());
            assertArrayEquals(next, store.fetch(store.latest().orElseThrow()));
            assertArrayEquals(weights, store.fetch(published), "an older kept version is still readable");
        }
    }

    @Test
    @DisplayName("a republished lower version (learner resumed from an older checkpoint) becomes the latest")
    void lowerVersionRepublished() {
        try (PolicyStore store = newStore(3)) {
            store.publish(12, new byte[] {12});
            PolicyVersion again = store.publish(10, new byte[] {10, 10});
            assertEquals(Optional.of(again), store.latest());
            assertArrayEquals(new byte[] {10, 10}, store.fetch(again));
        }
    }

    @Test
    @DisplayName("corrupted bytes are detected on read, naming the version and both checksums")
    void checksumMismatch() throws Exception {
        try (PolicyStore store = newStore(2)) {
            PolicyVersion v = store.publish(7, randomBytes(4096, 2));
            corrupt(store, v);
            var e = assertThrows(PolicyChecksumException.class, () -> store.fetch(v));
            assertTrue(e.getMessage().contains("Policy version 7"), e.getMessage());
            assertTrue(e.getMessage().contains(v.sha256()), e.getMessage());
        }
    }

    @Test
    @DisplayName("only the newest versions are kept; fetching a dropped one says to ask for the latest again")
    void keepsNewest() {
        try (PolicyStore store = newStore(2)) {
            PolicyVersion first = store.publish(1, new byte[] {1});
            store.publish(2, new byte[] {2});
            PolicyVersion third = store.publish(3, new byte[] {3});
            var e = assertThrows(IllegalStateException.class, () -> store.fetch(first));
            assertTrue(e.getMessage().contains("fetch latest() again"), e.getMessage());
            assertArrayEquals(new byte[] {2}, store.fetch(new PolicyVersion(2,
                    PolicyStoreChecks.sha256Hex(new byte[] {2}), 1, third.publishedAt())));
            assertArrayEquals(new byte[] {3}, store.fetch(third));
        }
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
