package dev.densify.rm.shaper;

import dev.densify.api.trajectory.Step;
import dev.densify.api.config.ConfigException;
import dev.densify.rm.logs.LogRecord;
import dev.densify.rm.logs.LogRewardModel;
import dev.densify.rm.pref.PreferenceModel;
import dev.densify.rm.pref.RunPairs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A trained model's score of every step of an episode, from the steps' observation and action texts. */
interface StepScorer extends AutoCloseable {
    /** What kind of model and where it is, for messages: {@code logs model runs/rm-logs-1}. */
    String describe();

    /** One score per step (not checked for finiteness here: the shaper contains that). */
    double[] score(List<Step> steps);

    @Override
    void close();

    /**
     * The model at {@code path}: a logs model ({@value LogRewardModel#FILE_NAME}) or a preference model
     * ({@value PreferenceModel#HEADS} beside {@value PreferenceModel#ENCODER}/, in the folder or in its
     * {@code model/}); anything else is a ConfigException naming {@code shaper.model}.
     */
    static StepScorer open(Path path, String module) {
        if (!Files.exists(path)) {
            throw new ConfigException("shaper.model", path.toAbsolutePath() + " does not exist; name the folder of a "
                    + "model from densify rm logs fit or densify rm train");
        }
        try {
            if (Files.isRegularFile(path) || Files.isRegularFile(path.resolve(LogRewardModel.FILE_NAME))) {
                return new LogsScorer(path, LogRewardModel.load(path));
            }
            for (Path folder : List.of(path, path.resolve("model"))) {
                if (Files.isRegularFile(folder.resolve(PreferenceModel.HEADS))) {
                    return PreferenceScorer.open(folder, module);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConfigException) {
                throw (ConfigException) e;
            }
            throw new ConfigException("shaper.model", "cannot load the model at " + path + ": " + e.getMessage());
        }
        throw new ConfigException("shaper.model", path + " holds no model this shaper reads; it accepts a logs reward "
                + "model (" + LogRewardModel.FILE_NAME + ", from densify rm logs fit) or a preference model ("
                + PreferenceModel.HEADS + " and " + PreferenceModel.ENCODER + "/, from densify rm train)");
    }

    /** The logged-interaction model: m_t is its prediction for (observation_t, action_t). */
    final class LogsScorer implements StepScorer {
        private final Path path;
        private final LogRewardModel model;

        LogsScorer(Path path, LogRewardModel model) {
            this.path = path;
            this.model = model;
        }

        @Override
        public String describe() {
            return "logs model " + path;
        }

        @Override
        public double[] score(List<Step> steps) {
            List<LogRecord> records = new ArrayList<>(steps.size());
            for (int t = 0; t < steps.size(); t++) {
                Step s = steps.get(t);
                records.add(new LogRecord(s.observation(), s.action(), 0, false, "", "episode", t, "",
                        LogRecord.DEFAULT_SOURCE, "step " + t));
            }
            return model.predict(records);
        }

        @Override
        public void close() {
            model.close();
        }
    }

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
}
