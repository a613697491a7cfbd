package dev.densify.cli;

import dev.densify.api.API;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code densify} and exits with its code; {@link #run} is the same without exiting, for tests. */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Charset charset = Charset.defaultCharset();
        int code = run(args, System.in, new PrintWriter(new OutputStreamWriter(System.out, charset), true),
                new PrintWriter(new OutputStreamWriter(System.err, charset), true), System.getenv());
        System.exit(code);
    }

    /**
     * Parses the arguments and runs the command they name.
     *
     * @param environment the process environment, where {@code DENSIFY_PLUGIN_PATH} is read
     * @return the exit code: 0 on success, 2 for bad arguments or configuration, 1 when the work itself failed
     */
    public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        DensifyCommand root = new DensifyCommand(in, out, err, environment);
        try {
            CommandLine commandLine = new CommandLine(root)
                    .setOut(out)
                    .setErr(err)
                    .setExecutionExceptionHandler(new ErrorReporter(root::verbose));
            return commandLine.execute(args);
        } finally {
            root.close();
            out.flush();
            err.flush();
        }
    }
}
