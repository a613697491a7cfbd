package dev.densify.cli.train;

import dev.densify.api.API;
import dev.densify.cli.shell.CliContext;
import dev.densify.core.ablate.AblationJob;
import dev.densify.core.config.ConfigRequest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Trains an ablation run in a JVM of its own, with this JVM's class path and engine options: the engine admits one
 * gradient recording per process, so trainings that run at the same time need processes of their own. The child's
 * output goes to {@code logs/<run>.log} in the ablation folder.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
final class ChildTraining implements AblationJob.Launcher {
    private static final String ENGINE_THREADS = "ai.djl.pytorch.num_threads";
    private final Path logs;
    private final Optional<String> pluginPath;

    ChildTraining(Path ablationFolder, Optional<String> pluginPath) {
        this.logs = ablationFolder.resolve("logs");
        this.pluginPath = pluginPath;
    }

    @Override
    public void train(String name, ConfigRequest request, Path folder) {
        List<String> args = new ArrayList<>(List.of("train", "--run-dir", folder.toString()));
        request.configFile().ifPresent(f -> args.addAll(List.of("--config", f.toString())));
        args.addAll(request.overrides());
        run(name, "the training of " + name, args, logs.resolve(name + ".log"));
    }

    /** {@code densify eval --pass-at-k} of the run's final policy, in a JVM of its own as its training was. */
    @Override
    public void passAtK(String name, ConfigRequest request, Path policy, AblationJob.PassAtKSettings settings,
                        Path json) {
        List<String> args = new ArrayList<>(List.of("eval", "--checkpoint", policy.toString(), "--pass-at-k",
                settings.ksText(), "--samples", Integer.toString(settings.samples()), "--json", json.toString()));
        request.configFile().ifPresent(f -> args.addAll(List.of("--config", f.toString())));
        args.addAll(request.overrides());
        run(name, "the pass@k evaluation of " + name, args, logs.resolve(name + "-pass-at-k.log"));
    }

    /**
     * The engine's options (offline, threads) and heap settings the user gave this JVM, for a child. A child runs
     * on one core: without a thread count of the user's, it gets one engine thread, since trainings side by side
     * each on the engine's default (every core) oversubscribe the machine (a critic fit took ten times as long).
     */
    static List<String> jvmOptions(List<String> inherited) {
        List<String> options = new ArrayList<>();
        for (String option : inherited) {
            if (option.startsWith("-D") || option.startsWith("-X") || option.startsWith("--enable-native-access")) {
                options.add(option);
            }
        }
        if (options.stream().noneMatch(o -> o.startsWith("-D" + ENGINE_THREADS + "="))) {
            options.add("-D" + ENGINE_THREADS + "=1");
        }
        return options;
    }

    private void run(String name, String what, List<String> args, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CliContext.MAIN_CLASS));
        pluginPath.ifPresent(p -> command.addAll(List.of("--plugin-path", p)));
        command.addAll(args);
        Process process;
        try {
            Files.createDirectories(logs);
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + what + ": " + e.getMessage(), e);
        }
        // A child never outlives the ablation: stopped with it, whether it fails, is interrupted or killed.
        Thread stop = new Thread(process::destroyForcibly, "densify-stop-" + name);
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(what + " failed (exit " + exit + "); its output is in " + log);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what, e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
