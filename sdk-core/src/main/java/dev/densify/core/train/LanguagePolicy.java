package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.core.model.Generation;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.SamplingOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The language model as an agent: observations become prompts, one batched generation answers them all, and the
 * generated tokens are kept exactly as sampled. Also the critic's view of states (hidden states of the prompt).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class LanguagePolicy implements ActionPolicy, FeatureSource {
    private final LlamaModel model;
    private final SamplingOptions sampling;
    private final int featureTokens;
    private long version;

    public LanguagePolicy(LlamaModel model, SamplingOptions sampling, int featureTokens) {
        this.model = Objects.requireNonNull(model, "model");
        this.sampling = Objects.requireNonNull(sampling, "sampling");
        this.featureTokens = featureTokens;
    }

    public LlamaModel model() {
        return model;
    }

    /** The same policy with other sampling options (greedy evaluation), sharing the weights. */
    public LanguagePolicy withSampling(SamplingOptions options) {
        LanguagePolicy other = new LanguagePolicy(model, options, featureTokens);
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
        List<int[]> prompts = observations.stream().map(this::promptTokens).toList();
        List<Generation> generations = model.generate(prompts, sampling, seed);
        List<SampledAction> actions = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            Generation g = generations.get(i);
            actions.add(new SampledAction(prompts.get(i), g.tokenIds(), g.logProbs(), AgentPrompt.action(g.text())));
        }
        return actions;
    }

    /**
     * The prompt's token ids; a prompt longer than the context leaves room for the action by keeping its end
     * (after BOS), where the current state and the question are.
     */
    @Override
    public int[] promptTokens(String observation) {
        int[] ids = model.tokenizer().encode(AgentPrompt.prompt(observation), true);
        int room = model.config().maxSeqLen() - sampling.maxNewTokens();
        if (ids.length <= room) {
            return ids;
        }
        int[] kept = new int[room];
        kept[0] = ids[0];
        System.arraycopy(ids, ids.length - (room - 1), kept, 1, room - 1);
        return kept;
    }

    /** Token ids of an expert completion (the action and its end marker). */
    public int[] completionTokens(String action) {
        return model.tokenizer().encode(AgentPrompt.completion(action), false);
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
