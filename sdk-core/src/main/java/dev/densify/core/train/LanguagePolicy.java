package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.model.Generation;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.SamplingOptions;
import dev.densify.core.model.io.ChatTemplate;
import dev.densify.core.prompt.AgentContext;
import dev.densify.core.prompt.PromptBuilder;
import dev.densify.core.prompt.PromptSettings;
import dev.densify.core.prompt.Turn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The language model as an agent: episodes so far become prompts ({@link PromptBuilder}), one batched generation
 * answers them all, and the generated tokens are kept exactly as sampled. Also the critic's view of states (hidden
 * states of the prompt).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class LanguagePolicy implements ActionPolicy, FeatureSource {
    private final LlamaModel model;
    private final SamplingOptions sampling;
    private final int featureTokens;
    private final PromptBuilder prompts;
    private long version;

    /** A policy with the plain prompt of the current observation only. */
    public LanguagePolicy(LlamaModel model, SamplingOptions sampling, int featureTokens) {
        this(model, sampling, featureTokens, PromptBuilder.plain(model.tokenizer(), model.config().maxSeqLen(),
                sampling.maxNewTokens()));
    }

    public LanguagePolicy(LlamaModel model, SamplingOptions sampling, int featureTokens, PromptBuilder prompts) {
        this.model = Objects.requireNonNull(model, "model");
        this.sampling = Objects.requireNonNull(sampling, "sampling");
        this.featureTokens = featureTokens;
        this.prompts = Objects.requireNonNull(prompts, "prompts");
    }

    /** The policy {@code settings} configure: their sampling and their prompt ({@code policy.prompt}). */
    public static LanguagePolicy of(LlamaModel model, PolicySettings settings, int featureTokens) {
        return new LanguagePolicy(model, settings.sampling(), featureTokens, prompts(model, settings));
    }

    /**
     * The prompt builder {@code settings} configure for {@code model}; the chat format reads the chat template of
     * {@code policy.prompt.template}, else of {@code policy.checkpoint}.
     */
    public static PromptBuilder prompts(LlamaModel model, PolicySettings settings) {
        PromptSettings prompt = settings.prompt();
        Optional<ChatTemplate> template = Optional.empty();
        if (prompt.chat()) {
            String key = prompt.template().isBlank() ? "policy.checkpoint" : "policy.prompt.template";
            String file = prompt.template().isBlank() ? settings.checkpoint() : prompt.template();
            if (!file.isBlank()) {
                try {
                    template = ChatTemplate.read(Path.of(file));
                } catch (IOException e) {
                    throw new ConfigException(key, "cannot read a chat template from " + file + ": " + e.getMessage());
                }
                if (template.isEmpty()) {
                    throw new ConfigException(key, file + " holds no chat template (tokenizer_config.json "
                            + "chat_template, GGUF tokenizer.chat_template or a .jinja file)");
                }
            }
        }
        return PromptBuilder.create(prompt, model.tokenizer(), template, model.config().maxSeqLen(),
                settings.maxActionTokens());
    }

    public LlamaModel model() {
        return model;
    }

    public PromptBuilder prompts() {
        return prompts;
    }

    /** The same policy with other sampling options (greedy evaluation), sharing the weights and the prompt. */
    public LanguagePolicy withSampling(SamplingOptions options) {
        LanguagePolicy other = new LanguagePolicy(model, options, featureTokens, prompts);
        other.version = version;
        return other;
    }

    @Override
    public long version() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    @Override
    public List<SampledAction> act(List<String> observations, long seed) {
        return actInContext(observations.stream().map(AgentContext::of).toList(), seed);
    }

    @Override
    public List<SampledAction> actInContext(List<AgentContext> episodes, long seed) {
        List<int[]> batch = episodes.stream().map(prompts::prompt).toList();
        List<Generation> generations = model.generate(batch, sampling, seed);
        List<SampledAction> actions = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Generation g = generations.get(i);
            actions.add(new SampledAction(batch.get(i), g.tokenIds(), g.logProbs(), AgentPrompt.action(g.text())));
        }
        return actions;
    }

    /** The prompt's token ids for an observation opening an episode (no instruction, no history). */
    @Override
    public int[] promptTokens(String observation) {
        return prompts.prompt(AgentContext.of(observation));
    }

    /** The prompt's token ids for the episode so far. */
    public int[] promptTokens(AgentContext episode) {
        return prompts.prompt(episode);
    }

    @Override
    public int[] finalPromptTokens(Trajectory trajectory) {
        return prompts.finalPrompt(trajectory);
    }

    /** Token ids of an expert completion (the action and its end marker). */
    public int[] completionTokens(String action) {
        return prompts.completion(action);
    }

    /**
     * The prompt of a demonstrated step: the expert's earlier actions are shown as the ids of their completions,
     * the ids the warm start teaches the policy to generate.
     */
    public int[] demonstrationPrompt(Collector.Demonstration demonstration) {
        List<Turn> turns = new ArrayList<>();
        for (int k = 0; k < demonstration.earlier().size(); k++) {
            Collector.Demonstration.Pair pair = demonstration.earlier().get(k);
            turns.add(new Turn(pair.observation(), completionTokens(pair.action())));
        }
        return prompts.prompt(new AgentContext(demonstration.instruction(), turns, demonstration.observation()));
    }

    @Override
    public float[][][] features(List<int[]> prompts) {
        return model.features(prompts, featureTokens);
    }

    @Override
    public String toString() {
        return "LanguagePolicy[version=" + version + "]";
    }
}
