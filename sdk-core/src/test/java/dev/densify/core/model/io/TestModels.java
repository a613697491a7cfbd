package dev.densify.core.model.io;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared real model files for integration tests; fails (never skips) when they are absent. */
public final class TestModels {
    private TestModels() {}

    /**
     * {@code ../shared/models/stories260K} beside the project root (the folder holding {@code mvnw}); from a git
     * worktree nested deeper, the nearest {@code shared/models/stories260K} further up.
     */
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
        throw new IllegalStateException("the stories260K test model is missing: expected "
                + root.resolve("../shared/models/stories260K/stories260K.bin").normalize()
                + " (real weights published with llama2.c; see that folder's README)");
    }
}
