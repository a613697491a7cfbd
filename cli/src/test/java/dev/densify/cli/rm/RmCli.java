package dev.densify.cli.rm;

import dev.densify.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs densify in this JVM, as MainTest does. */
final class RmCli {
    /** The shared stories260K checkpoint, found as sdk-core's tests find it: shared/ above the project root. */
    static final Path STORIES = stories260K().resolve("stories260K.bin");

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nout:\n" + out + "\nerr:\n" + err;
        }
    }

    private RmCli() {}

    private static Path stories260K() {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (root != null && !java.nio.file.Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        for (Path dir = root == null ? null : root.getParent(); dir != null; dir = dir.getParent()) {
            Path models = dir.resolve("shared/models/stories260K");
            if (java.nio.file.Files.isRegularFile(models.resolve("stories260K.bin"))) {
                return models;
            }
        }
        throw new IllegalStateException("the stories260K model is missing: expected shared/models/stories260K above "
                + System.getProperty("user.dir"));
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true), Map.of());
        return new Result(code, out.toString(), err.toString());
    }
}
