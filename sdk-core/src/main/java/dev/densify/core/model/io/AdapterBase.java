package dev.densify.core.model.io;

import dev.densify.api.API;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The base checkpoint a LoRA adapter applies to: where it was read from and the SHA-256 of its bytes (of a file, or
 * of a folder's files with their relative names, in name order). An adapter saved with it refuses any other base.
 *
 * @param path the base checkpoint's file or folder, absolute
 * @param sha256 lower-case hex digest of its bytes
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record AdapterBase(Path path, String sha256) {
    static final String PATH_KEY = "densify.base_checkpoint";
    static final String SHA_KEY = "densify.base_sha256";

    public AdapterBase {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** The reference to the checkpoint at {@code path}, hashing its bytes. */
    public static AdapterBase of(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        return new AdapterBase(absolute, checksum(absolute));
    }

    /** Fails unless {@code candidate} holds the same bytes as this base, naming both checksums. */
    public void requireSame(AdapterBase candidate) {
        if (!candidate.sha256.equals(sha256)) {
            throw new IllegalArgumentException("the adapters were trained on the base checkpoint " + path
                    + " (sha256 " + sha256 + ") but the base given is " + candidate.path + " (sha256 "
                    + candidate.sha256 + "); adapters apply only to the exact base they were trained on");
        }
    }

    Map<String, String> toMetadata() {
        return Map.of(PATH_KEY, path.toString(), SHA_KEY, sha256);
    }

    static AdapterBase fromMetadata(Path file, Map<String, String> metadata) throws ModelFormatException {
        String path = metadata.get(PATH_KEY);
        String sha = metadata.get(SHA_KEY);
        if (path == null || sha == null) {
            throw new ModelFormatException(file, "names no base checkpoint (metadata " + PATH_KEY + " and " + SHA_KEY
                    + "); it cannot be applied or merged");
        }
        return new AdapterBase(Path.of(path), sha);
    }

    /** SHA-256 of a file, or of every regular file below a folder (relative name, then bytes, in name order). */
    public static String checksum(Path fileOrFolder) throws IOException {
        if (!Files.exists(fileOrFolder)) {
            throw new ModelFormatException(fileOrFolder, "no such file or folder");
        }
        MessageDigest digest = newDigest();
        if (Files.isDirectory(fileOrFolder)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(fileOrFolder)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path file : files) {
                digest.update(fileOrFolder.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                update(digest, file);
            }
        } else {
            update(digest, fileOrFolder);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, Path file) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
