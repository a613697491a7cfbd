package dev.densify.cli;

import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.UserException;
import dev.densify.api.API;
import dev.densify.core.report.RunBrowser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Serves run folders to a web browser on 127.0.0.1 until interrupted. */
@API(status = API.Status.INTERNAL, since = "0.1")
@Command(name = "view", description = {"Browse runs in a web browser: iterations, episodes, each step's observation,"
    + " action, log-probs, rewards, V(s) and advantage; two runs side by side.",
    "Serves on 127.0.0.1 only. Example: densify view runs/ablate-<time>"})
public final class ViewCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "RUN_OR_RUNS_FOLDER", defaultValue = "runs",
            description = "A run folder, an ablation folder or a folder of runs (default: ${DEFAULT-VALUE}).")
    private Path folder;

    @Option(names = "--port", defaultValue = "0", description = "The port (default: one the system chooses).")
    private int port;

    @Override
    public Integer call() throws IOException, InterruptedException {
        CliContext context = CliContext.of(spec);
        if (!Files.isDirectory(folder)) {
            throw new UserException("view: " + folder + " is not a folder; give a run folder or a folder of runs");
        }
        if (port < 0 || port > 65535) {
            throw new UserException("--port must be between 0 and 65535, got " + port);
        }
        try (RunBrowser browser = RunBrowser.start(folder, port)) {
            context.out().println("densify view: " + browser.uri() + "  (Ctrl-C to stop)");
            context.out().flush();
            new CountDownLatch(1).await();
        }
        return 0;
    }
}
