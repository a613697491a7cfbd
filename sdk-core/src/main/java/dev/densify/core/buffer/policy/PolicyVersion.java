package dev.densify.core.buffer.policy;

import dev.densify.api.API;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/** A published policy: its version number, the SHA-256 (lower-case hex) and size of its bytes, and when. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record PolicyVersion(long version, String sha256, long sizeBytes, Instant publishedAt) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public PolicyVersion {
        if (version < 0) {
            throw new IllegalArgumentException("policy version must be >= 0, got " + version);
        }
        Objects.requireNonNull(sha256, "sha256");
        if (!HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got '" + sha256 + "'");
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0, got " + sizeBytes);
        }
        Objects.requireNonNull(publishedAt, "publishedAt");
    }
}
