package dev.densify.core.buffer.policy;

import java.security.MessageDigest;
import java.util.HexFormat;

/** An independent SHA-256, so the tests do not check the stores against their own helper. */
final class PolicyStoreChecks {

    private PolicyStoreChecks() {}

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
