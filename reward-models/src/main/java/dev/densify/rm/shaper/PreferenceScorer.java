package dev.densify.rm.shaper;

import dev.densify.api.config.ConfigException;
import dev.densify.api.trajectory.Step;
import dev.densify.rm.pref.PreferenceModel;
import dev.densify.rm.pref.RunPairs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The preference model: m_t is the head's score of the episode up to and including step t, written as
 * {@link RunPairs} writes episodes for training, so that the head sees the kind of text it learned from.
 */
final class PreferenceScorer implements StepScorer {
    private static final int ENCODE_BATCH = 16;
    private final Path path;
    private final PreferenceModel model;
    private final String module;

    private PreferenceScorer(Path path, PreferenceModel model, String module) {
        this.path = path;
        this.model = model;
        this.module = module;
    }

    static PreferenceScorer open(Path folder, String module) throws IOException {
        PreferenceModel model = PreferenceModel.load(folder, ENCODE_BATCH);
        if (!model.hasHead(module)) {
            model.close();
            throw new ConfigException("shaper.module", "the preference model " + folder + " has no head '"
                    + module + "'; its heads are " + model.modules());
        }
        return new PreferenceScorer(folder, model, module);
    }

    @Override
    public String describe() {
        return "preference model " + path + " (head " + module + ")";
    }

    @Override
    public double[] score(List<Step> steps) {
        List<String> contexts = new ArrayList<>(steps.size());
        List<String> actions = new ArrayList<>(steps.size());
        for (int t = 0; t < steps.size(); t++) {
            List<Step> prefix = steps.subList(0, t + 1);
            contexts.add(RunPairs.contextText(prefix));
            actions.add(RunPairs.actionsText(prefix));
        }
        return model.score(module, model.encoder().encode(contexts), model.encoder().encode(actions));
    }

    @Override
    public void close() {
        model.close();
    }
}
