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
import dev.densify.api.buffer.TrajectoryBufferProvider;
import dev.densify.core.buffer.RedisBufferProvider;
import dev.densify.core.buffer.RemoteSettings;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.inject.DensifyModule;
import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.LoraConfig;
import dev.densify.core.model.ModelPresets;
import dev.densify.core.model.io.AdapterBase;
import dev.densify.core.model.io.AdapterWeights;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import dev.densify.core.plugin.PluginKind;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.train.RewardSynthesis.Named;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link Trainer} from a composed configuration: plugins through Guice, the policy from a preset or a
 * checkpoint, the buffer, and the run folder (with the composed configuration written into it).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

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
        if (!policySettings.checkpoint().isBlank()) {
            requireMemory(policySettings, settings, MemoryBudget.Available.ofThisProcess());
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
        Rollouts rollouts = new Rollouts(plugins.environment(), plugins.environmentConfig(), settings);
        LlamaModel model = null;
        BatchSource.Factory sources;
        try {
            model = policy(policySettings, settings.seed());
            if (checkpoint.isEmpty()) {
                warmStart(model, settings, policySettings, rollouts, listener);
            }
            sources = sources(config, registry, settings);
        } catch (RuntimeException | Error e) {
            Closing.closeAll(model == null ? List.of(rollouts) : List.of(rollouts, model), e);
            throw e;
        }
        // From here the trainer owns the rollouts and the model, and closes them if it cannot start.
        return new Trainer(settings, policySettings, plugins, model, rollouts, sources, run, checkpoint, listener);
    }

    /**
     * The warm start alone, the common start of an ablation's runs: in the fresh run folder {@code folder} (with the
     * composed configuration written into it), warms up the configured policy on the environment's demonstrations,
     * writes it to {@code folder/policy} (a LoRA policy as its adapters naming the base, which a run reads as
     * {@code policy.checkpoint}), and measures its held-out success on the episodes every evaluation of the runs uses.
     */
    public static Trainer.Evaluation warmStart(ComposedConfig config, PluginRegistry registry, Path folder,
                                               TrainingListener listener) throws IOException {
        Injector injector = Guice.createInjector(new DensifyModule(config, registry));
        TrainerSettings settings = config.group("trainer").bind(TrainerSettings.class);
        PolicySettings policySettings = config.group("policy").bind(PolicySettings.class);
        if (!policySettings.checkpoint().isBlank()) {
            requireMemory(policySettings, settings, MemoryBudget.Available.ofThisProcess());
        }
        RunFolder.fresh(folder);
        config.write(folder);
        try (Rollouts rollouts = new Rollouts(injector.getInstance(EnvironmentProvider.class),
                injector.getInstance(Key.get(PluginConfig.class, Names.named("env"))), settings);
             LlamaModel model = policy(policySettings, settings.seed())) {
            Optional<Checkpoint.Lora> lora = Trainer.loraOf(model, policySettings);
            LanguagePolicy policy = warmStart(model, settings, policySettings, rollouts, listener);
            Trainer.writePolicy(model, lora, folder.resolve("policy"));
            return new Trainer.Evaluation(-1, 0, Evaluator.success(rollouts.evaluator(settings.evalEpisodes())
                    .evaluate(rollouts.collector(), Trainer.evaluationPolicy(policy, settings, policySettings))));
        }
    }

    /** The policy over {@code model}, warm-started when the settings ask for it. */
    private static LanguagePolicy warmStart(LlamaModel model, TrainerSettings settings, PolicySettings policySettings,
                                            Rollouts rollouts, TrainingListener listener) {
        LanguagePolicy policy = LanguagePolicy.of(model, policySettings, settings.criticFeatureTokens());
        WarmStart.apply(settings, policy, rollouts, listener);
        return policy;
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

    /**
     * Puts the adapters {@code policy.lora.init} names in place of {@code adapted}'s fresh ones, after checking that
     * they adapt the very base checkpoint with the configured rank, alpha and targets.
     */
    private static void startAdapters(LlamaModel adapted, PolicySettings settings) {
        String init = settings.lora().init();
        AdapterWeights saved;
        try {
            saved = ModelFiles.readAdapter(Path.of(init));
            ModelFiles.baseOf(saved).requireSame(AdapterBase.of(Path.of(settings.checkpoint())));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("policy.lora.init", init + ": " + e.getMessage());
        }
        LoraConfig configured = adapted.lora().orElseThrow();
        LoraConfig found;
        try {
            found = LoraConfig.fromMetadata(saved.metadata());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("policy.lora.init", init + ": " + e.getMessage());
        }
        if (found.rank() != configured.rank() || found.alpha() != configured.alpha()
                || !found.targets().equals(configured.targets())) {
            throw new ConfigException("policy.lora.init", init + " holds adapters of rank " + found.rank() + ", alpha "
                    + found.alpha() + " on " + found.targets() + " but the run is configured with rank "
                    + configured.rank() + ", alpha " + configured.alpha() + " on " + configured.targets()
                    + "; set policy.lora to the adapters' own");
        }
        try {
            adapted.restore(new ModelWeights(adapted.config(), saved.weights().tensors(), Optional.empty()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("policy.lora.init", init + ": " + e.getMessage());
        }
    }

    /**
     * States the memory a run on {@code policy}'s checkpoint needs (read from its header alone) and fails when it
     * cannot fit {@code available}.
     *
     * @return the estimate
     * @throws ConfigException naming policy.checkpoint, what the run needs and what to change
     */
    public static MemoryBudget requireMemory(PolicySettings policy, TrainerSettings trainer,
                                             MemoryBudget.Available available) {
        MemoryBudget budget;
        try {
            LlamaConfig model = ModelFiles.readConfig(Path.of(policy.checkpoint()));
            budget = MemoryBudget.estimate(model, policy.lora().config(trainer.seed()), trainer,
                    policy.memory().sequenceTokens(model.maxSeqLen()));
        } catch (IOException e) {
            throw new ConfigException("policy.checkpoint", e.getMessage());
        }
        MemoryBudget.Verdict verdict = budget.check(available);
        if (!verdict.fits()) {
            throw new ConfigException("policy.checkpoint", verdict.message());
        }
        LOG.info("memory: {}", verdict.message());
        return budget;
    }

    /**
     * The initial policy: the checkpoint named in the configuration (with LoRA adapters over its frozen weights when
     * {@code policy.lora.rank} is positive: fresh ones, or the saved ones {@code policy.lora.init} names), or a
     * preset initialised from the seed.
     */
    public static LlamaModel policy(PolicySettings settings, long seed) {
        if (!settings.checkpoint().isBlank()) {
            LlamaModel base;
            try {
                ModelWeights weights = ModelFiles.read(Path.of(settings.checkpoint()));
                base = LlamaModel.fromWeights(weights, weights.tokenizer().orElseThrow(() -> new ConfigException(
                        "policy.checkpoint", settings.checkpoint() + " has no tokenizer beside it")));
            } catch (IOException e) {
                throw new ConfigException("policy.checkpoint", e.getMessage());
            }
            Optional<LoraConfig> lora = settings.lora().config(seed);
            if (lora.isEmpty()) {
                return base;
            }
            LlamaModel adapted;
            try (base) {
                adapted = base.withLora(lora.get());
            }
            if (!settings.lora().init().isBlank()) {
                try {
                    startAdapters(adapted, settings);
                } catch (RuntimeException e) {
                    adapted.close();
                    throw e;
                }
            }
            return adapted;
        }
        ByteTokenizer tokenizer = new ByteTokenizer();
        return LlamaModel.random(ModelPresets.preset(settings.preset(), tokenizer.vocabSize()), tokenizer, seed);
    }

    /**
     * Where the run's trajectories come from: rollout workers feeding the Redis buffer, or this process's collector
     * through the selected buffer, created by its provider.
     */
    static BatchSource.Factory sources(ComposedConfig config, PluginRegistry registry, TrainerSettings settings) {
        Optional<RemoteSettings> remote = RedisBufferProvider.settings(config, registry);
        if (remote.isPresent()) {
            return (collector, tasks) -> new RemoteCollection(remote.get(), settings, tasks,
                    RunFingerprint.of(config, tasks));
        }
        TrajectoryBufferProvider buffer = registry.provider(PluginKind.BUFFER, config.selected("buffer"));
        return (collector, tasks) -> new LocalCollection(collector,
                buffer.create(config.group("buffer"), config.pluginContext()), tasks, settings.groupsPerIteration(),
                settings.groupSize());
    }
}
