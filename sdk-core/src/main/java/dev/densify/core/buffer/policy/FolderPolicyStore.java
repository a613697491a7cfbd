package dev.densify.core.buffer.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.densify.api.API;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A {@link PolicyStore} in a folder every worker can read (NFS, a mounted bucket with POSIX semantics): for
 * models too large to pass through Redis. Each version is a file {@code policy-<version>-<sha256 prefix>.bin};
 * {@code latest.json} ({@code version}, {@code sha256}, {@code size}, {@code published_at} in epoch ms,
 * {@code file}) names the current one. Both are written to a temporary file in the folder, flushed to disk and
 * renamed over the target ({@code ATOMIC_MOVE}), so a reader sees either the old or the new version whole; the
 * folder's file system must support atomic rename. The newest {@code keepVersions} files are kept.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class FolderPolicyStore implements PolicyStore {

    private static final String LATEST = "latest.json";
    private static final JsonFactory JSON = new JsonFactory();

    private final Path directory;
    private final int keepVersions;

    public FolderPolicyStore(Path directory, int keepVersions) {
        this.directory = Objects.requireNonNull(directory, "directory");
        if (keepVersions < 1) {
            throw new IllegalArgumentException("keepVersions must be at least 1, got " + keepVersions);
        }
        this.keepVersions = keepVersions;
    }

    @Override
    public synchronized PolicyVersion publish(long version, byte[] weights) {
        Objects.requireNonNull(weights, "weights");
        String sha = Checksums.sha256(weights);
        PolicyVersion published = new PolicyVersion(version, sha, weights.length,
                Instant.ofEpochMilli(System.currentTimeMillis()));
        String file = fileName(published);
        try {
            Files.createDirectories(directory);
            writeAtomically(directory.resolve(file), weights);
            writeAtomically(directory.resolve(LATEST), latestJson(published, file));
            prune(file);
            return published;
        } catch (AtomicMoveNotSupportedException e) {
            throw new IllegalStateException("Policy folder " + directory + " does not support atomic renames, which"
                    + " readers rely on never to see half-written weights: use a local or POSIX file system", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot publish policy version " + version + " to " + directory, e);
        }
    }

    @Override
    public Optional<PolicyVersion> latest() {
        byte[] json;
        try {
            json = Files.readAllBytes(directory.resolve(LATEST));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + directory.resolve(LATEST), e);
        }
        return Optional.of(parseLatest(json));
    }

    @Override
    public byte[] fetch(PolicyVersion version) {
        Objects.requireNonNull(version, "version");
        Path file = directory.resolve(fileName(version));
        try {
            return Checksums.verified(version, Files.readAllBytes(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("Policy version " + version.version() + " is no longer in " + directory
                    + " (it keeps the newest " + keepVersions + "): fetch latest() again", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    @Override
    public String toString() {
        return "policy folder " + directory;
    }

    private static String fileName(PolicyVersion v) {
        return String.format(java.util.Locale.ROOT, "policy-%020d-%s.bin", v.version(), v.sha256().substring(0, 16));
    }

    private void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void prune(String current) throws IOException {
        List<Path> versions;
        try (Stream<Path> files = Files.list(directory)) {
            versions = files.filter(p -> p.getFileName().toString().matches("policy-\\d{20}-[0-9a-f]{16}\\.bin"))
                    .sorted(Comparator.comparing(FolderPolicyStore::modified).reversed()
                            .thenComparing(Comparator.reverseOrder()))
                    .toList();
        }
        int others = 0;
        for (Path p : versions) {
            if (p.getFileName().toString().equals(current) || others++ < keepVersions - 1) {
                continue;
            }
            Files.deleteIfExists(p);
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] latestJson(PolicyVersion v, String file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("version", v.version());
            g.writeStringField("sha256", v.sha256());
            g.writeNumberField("size", v.sizeBytes());
            g.writeNumberField("published_at", v.publishedAt().toEpochMilli());
            g.writeStringField("file", file);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private PolicyVersion parseLatest(byte[] json) {
        Map<String, String> fields = new HashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                fields.put(name, p.getText());
            }
            return new PolicyVersion(Long.parseLong(fields.get("version")), fields.get("sha256"),
                    Long.parseLong(fields.get("size")), Instant.ofEpochMilli(Long.parseLong(fields.get("published_at"))));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot read " + directory.resolve(LATEST)
                    + ": expected {version, sha256, size, published_at, file} (" + e.getMessage() + ")", e);
        }
    }
}
