package dev.densify.rm.shaper;

import dev.densify.api.trajectory.Step;
import dev.densify.rm.logs.LogRecord;
import dev.densify.rm.logs.LogRewardModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
