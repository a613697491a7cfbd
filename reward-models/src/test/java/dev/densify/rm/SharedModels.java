package dev.densify.rm;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared stories260K files, found as sdk-core's tests find them: {@code shared/models/stories260K} in a folder
 * above the project root (the folder holding {@code mvnw}). Fails, never skips, when they are absent.
 */
public final class SharedModels {
    private SharedModels() {}

    public static Path stories260K() {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IllegalStateException("no folder containing mvnw above " + System.getProperty("user.dir"));
        }
        for (Path dir = root.getParent(); dir != null; dir = dir.getParent()) {
            Path models = dir.resolve("shared/models/stories260K");
            if (Files.isRegularFile(models.resolve("stories260K.bin"))) {
                return models;
            }
        }
        throw new IllegalStateException("the stories260K model is missing: expected "
                + root.resolve("../shared/models/stories260K/stories260K.bin").normalize());
    }
}
