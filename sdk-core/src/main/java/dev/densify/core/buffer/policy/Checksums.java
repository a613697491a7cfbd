package dev.densify.core.buffer.policy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 for the policy stores. */
final class Checksums {

    private Checksums() {}

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256, which every Java platform must provide", e);
        }
    }

    /** Returns {@code bytes} if size and checksum match {@code version}, else throws naming {@code where}. */
    static byte[] verified(PolicyVersion version, byte[] bytes, String where) {
        String actual = sha256(bytes);
        if (!actual.equals(version.sha256()) || bytes.length != version.sizeBytes()) {
            throw new PolicyChecksumException("Policy version " + version.version() + " in " + where
                    + " is corrupted: expected " + version.sizeBytes() + " bytes with sha256 " + version.sha256()
                    + ", read " + bytes.length + " bytes with sha256 " + actual);
        }
        return bytes;
    }
}
