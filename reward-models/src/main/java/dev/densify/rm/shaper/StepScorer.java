package dev.densify.rm.shaper;

import dev.densify.api.trajectory.Step;
import dev.densify.api.config.ConfigException;
import dev.densify.rm.logs.LogRewardModel;
import dev.densify.rm.pref.PreferenceModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
