package dev.densify.core.ablate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.densify.api.API;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.config.ConfigComposer;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.train.RunFolder;
import dev.densify.core.train.Trainer;
import dev.densify.core.train.TrainingListener;
import dev.densify.core.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The whole ablation as {@code densify ablate} runs it: every variant composes (and so validates) before any work,
 * one warm start serves every run, each variant and seed trains from it in its own run folder (here, or in processes
 * of their own through a {@link Launcher}), and the report
 * lands in {@code ablation.json}, {@code summary.txt} and {@code summary.md} (the Markdown that documents quote).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class AblationJob {
    private final ConfigComposer composer;
    private final PluginRegistry registry;
    private final Function<String, TrainingListener> listeners;
    private final Launcher launcher;

    /**
     * Trains one run of the ablation into its folder. Runs that train at the same time need separate processes:
     * the engine's autograd admits one gradient recording per process.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    @FunctionalInterface
    public interface Launcher {
        /** Trains {@code name} with the base request plus {@code overrides} into {@code folder}, to the end. */
        void train(String name, ConfigRequest request, Path folder);
    }

    /**
     * Runs every training in this process, one after another.
     *
     * @param listeners a listener for each run, by run name ("warm-start", "sparse-seed0", ...)
     */
    public AblationJob(ConfigComposer composer, PluginRegistry registry, Function<String, TrainingListener> listeners) {
        this(composer, registry, listeners, null);
    }

    /** Starts the variants' trainings with {@code launcher} (the warm start always runs here). */
    public AblationJob(ConfigComposer composer, PluginRegistry registry, Function<String, TrainingListener> listeners,
                       Launcher launcher) {
        this.composer = Objects.requireNonNull(composer, "composer");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.listeners = Objects.requireNonNull(listeners, "listeners");
        this.launcher = launcher != null ? launcher : this::trainHere;
    }

    private void trainHere(String name, ConfigRequest request, Path folder) {
        TrainingListener listener = listeners.apply(name);
        try (Trainer trainer = TrainingRun.open(composer.compose(request), registry, folder, false, listener)) {
            trainer.run();
        } finally {
            closeQuietly(listener);
        }
    }

    public Ablation.Report run(ConfigRequest base, List<Variant> variants, List<Long> seeds, int parallelism,
                               Path folder, Ablation.Progress progress) {
        List<String> names = variants.stream().map(Variant::name).toList();
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("variant names must be unique, got " + names);
        }
        for (Variant v : variants) {
            composer.compose(with(base, v.overrides()));
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the ablation folder " + folder, e);
        }
        Trainer.Evaluation start = warmStart(base, folder);
        Path warmPolicy = folder.resolve("warm-start").resolve("policy");
        List<String> fromWarm = List.of("policy.checkpoint=" + warmPolicy, "trainer.warm_start_episodes=0");
        Ablation.Report report = new Ablation(variants, seeds).run((variant, seed) -> {
            List<String> overrides = new ArrayList<>(variant.overrides());
            overrides.addAll(fromWarm);
            overrides.add("trainer.seed=" + seed);
            String name = variant.name() + "-seed" + seed;
            Path runFolder = folder.resolve(name);
            launcher.train(name, with(base, overrides), runFolder);
            List<java.util.Map<String, Object>> metrics = new RunFolder(runFolder).readMetrics();
            List<Trainer.Evaluation> curve = new ArrayList<>(List.of(start));
            curve.addAll(Trainer.evaluations(metrics));
            return new Ablation.Run(curve, Trainer.criticNextBatchEv(metrics));
        }, progress, parallelism);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(folder.resolve("ablation.json").toFile(), report.toMap());
            Files.writeString(folder.resolve("summary.txt"), report.summary(), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("summary.md"), report.markdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ablation's report into " + folder, e);
        }
        return report;
    }

    /**
     * One warm start for all runs, so that variants differ only in what the ablation varies; returns the held-out
     * success of the warm-started policy, the common start of every curve.
     */
    private Trainer.Evaluation warmStart(ConfigRequest base, Path folder) {
        ComposedConfig composed = composer.compose(with(base, List.of("trainer.iterations=0")));
        Path policy = folder.resolve("warm-start").resolve("policy");
        TrainingListener listener = listeners.apply("warm-start");
        try (Trainer trainer = TrainingRun.open(composed, registry, folder.resolve("warm-start"), false, listener)) {
            ModelFiles.write(trainer.policy().model().toWeights(), policy);
            return trainer.evaluate();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the warm-started policy to " + policy, e);
        } finally {
            closeQuietly(listener);
        }
    }

    /** Listeners that hold a terminal (progress bars) are closed with their run. */
    private static void closeQuietly(TrainingListener listener) {
        if (listener instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("a progress listener failed to close: " + e, e);
            }
        }
    }

    private static ConfigRequest with(ConfigRequest base, List<String> more) {
        List<String> overrides = new ArrayList<>(base.overrides());
        overrides.addAll(more);
        return new ConfigRequest(base.configFile(), overrides, base.groups());
    }
}
