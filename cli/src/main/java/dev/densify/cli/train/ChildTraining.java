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
    private final Path logs;
    private final Optional<String> pluginPath;

    ChildTraining(Path ablationFolder, Optional<String> pluginPath) {
        this.logs = ablationFolder.resolve("logs");
        this.pluginPath = pluginPath;
    }

    @Override
    public void train(String name, ConfigRequest request, Path folder) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The engine's options (offline, threads) and heap settings the user gave this JVM.
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("-D") || option.startsWith("-X") || option.startsWith("--enable-native-access")) {
                command.add(option);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CliContext.MAIN_CLASS));
        pluginPath.ifPresent(p -> command.addAll(List.of("--plugin-path", p)));
        command.addAll(List.of("train", "--run-dir", folder.toString()));
        request.configFile().ifPresent(f -> command.addAll(List.of("--config", f.toString())));
        command.addAll(request.overrides());
        Path log = logs.resolve(name + ".log");
        Process process;
        try {
            Files.createDirectories(logs);
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the training of " + name + ": " + e.getMessage(), e);
        }
        // A child never outlives the ablation: stopped with it, whether it fails, is interrupted or killed.
        Thread stop = new Thread(process::destroyForcibly, "densify-stop-" + name);
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException("the training of " + name + " failed (exit " + exit + "); its output is"
                        + " in " + log);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + name + " trained", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
