package dev.densify.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared stories260K files, found as sdk-core's tests find them: {@code shared/models/stories260K} in a folder
 * above the project root (the folder holding {@code mvnw}), the nearest one for a worktree nested deeper. Fails,
 * never skips, when they are absent.
 */
public final class SharedModels {
    private SharedModels() {}

    public static Path stories260K() {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        for (Path dir = root == null ? null : root.getParent(); dir != null; dir = dir.getParent()) {
            Path models = dir.resolve("shared/models/stories260K");
            if (Files.isRegularFile(models.resolve("stories260K.bin"))) {
                return models;
            }
        }
        throw new IllegalStateException("the stories260K test model is missing: expected ../shared/models/stories260K"
                + " beside the project root (above " + System.getProperty("user.dir") + ")");
    }
}
