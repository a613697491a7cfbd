package dev.densify.cli;

import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.PluginPath;
import dev.densify.api.API;
import dev.densify.cli.buffer.BufferCommand;
import dev.densify.cli.env.EnvCommand;
import dev.densify.cli.model.ExportCommand;
import dev.densify.cli.model.GenerateCommand;
import dev.densify.cli.model.ModelCommand;
import dev.densify.cli.train.AblateCommand;
import dev.densify.cli.train.EvalCommand;
import dev.densify.cli.train.TrainCommand;
import dev.densify.cli.train.WorkerCommand;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The root command. Its options may be given before or after the subcommand ({@code densify --plugin-path DIR
 * plugins}); every subcommand reaches the shared {@link CliContext} through {@link CliContext#of}.
 *
 * <p>To add a subcommand, write a {@code @Command} class implementing {@code Callable<Integer>} (with
 * {@code @Spec CommandSpec spec} to get the context) and list it in {@code subcommands} below.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
@Command(name = "densify", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "RL fine-tuning of LLM agents from sparse outcome labels with learned dense rewards.",
        subcommands = {
            PluginsCommand.class,
            ConfigCommand.class,
            EnvCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            WorkerCommand.class,
            BufferCommand.class,
            AblateCommand.class,
            GenerateCommand.class,
            ModelCommand.class,
            ExportCommand.class,
            BenchCommand.class,
            ViewCommand.class,
            dev.densify.cli.rm.RmCommand.class,
        })
public final class DensifyCommand implements Runnable, CliContext.Holder {
    private final CliContext context;
    private boolean verbose;

    @Spec
    private CommandSpec spec;

    DensifyCommand(InputStream in, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        this.context = new CliContext(in, out, err, environment);
    }

    @Option(names = "--plugin-path", scope = ScopeType.INHERIT, paramLabel = "DIR[:DIR...]",
            description = "Folders whose jars join the plugin class path (default: $" + PluginPath.ENVIRONMENT_VARIABLE
                    + "). A jar file may be named directly.")
    void setPluginPath(String folders) {
        context.setPluginPathOption(folders);
    }

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces of errors and densify's debug log.")
    void setVerbose(boolean verbose) {
        this.verbose = verbose;
        if (verbose) {
            // read by slf4j-simple when the first logger is created, which happens after parsing
            System.setProperty("org.slf4j.simpleLogger.log.dev.densify", "debug");
        }
    }

    boolean verbose() {
        return verbose;
    }

    /** The context shared by all commands of this invocation. */
    @Override
    public CliContext context() {
        return context;
    }

    @Override
    public void run() {
        spec.commandLine().usage(context.out());
    }

    void close() {
        context.close();
    }
}
