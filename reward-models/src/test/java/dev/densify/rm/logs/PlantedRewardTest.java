package dev.densify.rm.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The done-when of issue 12: the model recovers a planted reward function on held-out episodes. */
class PlantedRewardTest {
    private static final double NOISE = 0.2;

    static LogsSettings settings(LogsSettings.EncoderKind kind, LogsSettings.Task task) {
        return new LogsSettings(MissingValues.Policy.DROP, RewardScales.Method.ZSCORE, true, task,
                new LogsSettings.Encoder(kind, "../shared/models/stories260K/stories260K.bin", 64, 32, 512),
                new LogsSettings.Model(64), new LogsSettings.Train(7, 60, 32, 0.002, 0.01, 8, 0.15, 0.15),
                new LogsSettings.Drift(10));
    }

    @Test
    void recoversThePlantedRewardOnHeldOutEpisodes(@TempDir Path dir) throws Exception {
        List<LogRecord> logs = PlantedLogs.generate(200, NOISE, 1, "agent", 0);
        double ceiling = PlantedLogs.signalVariance() / (PlantedLogs.signalVariance() + NOISE * NOISE);
        double actionOnly = PlantedLogs.actionOnlyR2(NOISE);
        LogModelFit.Result result = LogModelFit.fit(logs, settings(LogsSettings.EncoderKind.HASHING,
                LogsSettings.Task.AUTO));
        try (LogRewardModel model = result.model()) {
            double r2 = result.test().r2();
            System.out.printf("planted: test R^2 %.3f (ceiling %.3f, action alone %.3f), MSE %.4f, best epoch %d%n",
                    r2, ceiling, actionOnly, result.test().mse(), result.bestEpoch());
            assertTrue(r2 > 0.8, "test R^2 " + r2);
            assertTrue(r2 > actionOnly + 0.2, "the state's part must be recovered too: " + r2 + " vs " + actionOnly);
            assertTrue(result.test().calibrationError() < 0.2, "calibration error " + result.test().calibrationError());

            model.save(dir);
            List<LogRecord> test = logs.subList(0, 100);
            try (LogRewardModel loaded = LogRewardModel.load(dir)) {
                assertArrayEquals(model.predict(test), loaded.predict(test));
            }
        }
    }
}
