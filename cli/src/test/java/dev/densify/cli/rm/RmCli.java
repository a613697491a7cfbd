package dev.densify.cli.rm;

import dev.densify.cli.Main;
import dev.densify.core.model.io.TestModels;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs densify in this JVM, as MainTest does. */
final class RmCli {
    /** The shared stories260K checkpoint, found as sdk-core's tests find it: shared/ above the project root. */
    static final Path STORIES = TestModels.stories260K().resolve("stories260K.bin");

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nout:\n" + out + "\nerr:\n" + err;
        }
    }

    private RmCli() {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true), Map.of());
        return new Result(code, out.toString(), err.toString());
    }
}
