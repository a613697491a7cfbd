package dev.densify.core.train;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.name.Names;
import dev.densify.api.API;
import dev.densify.api.algo.PolicyOptimizer;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.plugin.PluginContext;
import dev.densify.api.critic.Critic;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.reward.Normalizer;
import dev.densify.api.reward.RewardShaper;
import dev.densify.core.buffer.InMemoryTrajectoryBuffer;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.inject.DensifyModule;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.ModelPresets;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.train.RewardSynthesis.Named;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Builds a {@link Trainer} from a composed configuration: plugins through Guice, the policy from a preset or a
 * checkpoint, the buffer, and the run folder (with the composed configuration written into it).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class TrainingRun {
    private TrainingRun() {}

    /** A fresh run in {@code folder}, or, with {@code resume}, the continuation of the run already there. */
    public static Trainer open(ComposedConfig config, PluginRegistry registry, Path folder, boolean resume,
                               TrainingListener listener) {
        Injector injector = Guice.createInjector(new DensifyModule(config, registry));
        TrainerSettings settings = config.group("trainer").bind(TrainerSettings.class);
        PolicySettings policySettings = config.group("policy").bind(PolicySettings.class);
        TrainingPlugins plugins = plugins(injector, config);
        if (resume && !java.nio.file.Files.isDirectory(folder)) {
            throw new RunFolderException("nothing to resume: " + folder + " is not a folder");
        }
        RunFolder run = resume ? new RunFolder(folder) : RunFolder.fresh(folder);
        Optional<Checkpoint> checkpoint = Optional.empty();
        if (resume) {
            Optional<Path> latest = Checkpoint.latestFolder(run.checkpoints());
            if (latest.isEmpty()) {
                throw new RunFolderException("nothing to resume: " + run.checkpoints() + " holds no checkpoint yet");
            }
            checkpoint = latest.map(Checkpoint::read);
            checkpoint.get().requireWithin(latest.get(), settings.iterations());
        } else {
            config.write(folder);
        }
        return new Trainer(settings, policySettings, plugins, policy(policySettings, settings.seed()),
                sources(config, settings), run, checkpoint, listener);
    }

    static TrainingPlugins plugins(Injector injector, ComposedConfig config) {
        double gamma = injector.getInstance(PluginContext.class).discount();
        return new TrainingPlugins(injector.getInstance(EnvironmentProvider.class),
                injector.getInstance(Key.get(PluginConfig.class, Names.named("env"))),
                injector.getInstance(Critic.class),
                List.of(new Named<>(config.selected("shaper"), injector.getInstance(RewardShaper.class))),
                new Named<>(config.selected("normalizer"), injector.getInstance(Normalizer.class)),
                injector.getInstance(PolicyOptimizer.class), gamma, credit(config));
    }

    private static Optional<ProgressCredit> credit(ComposedConfig config) {
        String rule = config.selected("credit");
        if (rule.equals("outcome")) {
            return Optional.empty();
        }
        if (rule.equals("progress")) {
            return Optional.of(config.group("credit").bind(ProgressCredit.class));
        }
        throw new ConfigException("credit", "'" + rule + "' is not a known credit rule; use outcome or progress");
    }

    /** The initial policy: the checkpoint named in the configuration, or a preset initialised from the seed. */
    public static LlamaModel policy(PolicySettings settings, long seed) {
        if (!settings.checkpoint().isBlank()) {
            try {
                ModelWeights weights = ModelFiles.read(Path.of(settings.checkpoint()));
                return LlamaModel.fromWeights(weights, weights.tokenizer().orElseThrow(() -> new ConfigException(
                        "policy.checkpoint", settings.checkpoint() + " has no tokenizer beside it")));
            } catch (IOException e) {
                throw new ConfigException("policy.checkpoint", e.getMessage());
            }
        }
        ByteTokenizer tokenizer = new ByteTokenizer();
        return LlamaModel.random(ModelPresets.preset(settings.preset(), tokenizer.vocabSize()), tokenizer, seed);
    }

    static BatchSource.Factory sources(ComposedConfig config, TrainerSettings settings) {
        String kind = config.selected("buffer");
        if (kind.equals("memory")) {
            int capacity = config.group("buffer").getInt("capacity", 4096);
            return (collector, tasks) -> new LocalCollection(collector, new InMemoryTrajectoryBuffer(capacity), tasks,
                    settings.groupsPerIteration(), settings.groupSize());
        }
        if (kind.equals("redis")) {
            RemoteSettings remote = config.group("buffer").bind(RemoteSettings.class);
            return (collector, tasks) -> new RemoteCollection(remote, settings, tasks, RunFingerprint.of(config, tasks));
        }
        throw new ConfigException("buffer", "'" + kind + "' is not a known buffer; use memory or redis");
    }
}
