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
                LogsSettings.Target.REWARD, 1.0,
                new LogsSettings.Encoder(kind, "../shared/models/stories260K/stories260K.bin", 64, 32, 512),
                new LogsSettings.Model(64), new LogsSettings.Train(7, 60, 32, 0.002, 0.01, 8, 0.15, 0.15),
                new LogsSettings.Drift(10));
    }

    /**
     * The ceiling is Var(f) / (Var(f) + noise^2) = 0.908: no predictor explains the noise. The best predictor from the
     * action alone reaches 0.388, so R^2 > 0.8 needs the state's room and item and their interaction with the action.
     */
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

    @Test
    void newLogsOfTheSameProcessAreStableAndShiftedOnesDrift() {
        List<LogRecord> logs = PlantedLogs.generate(120, NOISE, 2, "agent", 0);
        LogModelFit.Result result = LogModelFit.fit(logs, settings(LogsSettings.EncoderKind.HASHING,
                LogsSettings.Task.AUTO));
        try (LogRewardModel model = result.model()) {
            DriftReport same = DriftReport.of(model, PlantedLogs.generate(120, NOISE, 3, "agent", 0));
            assertEquals(Psi.Verdict.STABLE, same.verdict(), same.toString());
            // most states now in the library: the state's features, the predictions and the rewards move
            DriftReport shifted = DriftReport.of(model, PlantedLogs.generate(120, NOISE, 4, "agent", 0.8));
            assertEquals(Psi.Verdict.DRIFTED, shifted.verdict(), shifted.toString());
            assertTrue(shifted.entries().stream().anyMatch(e -> e.name().equals("prediction")
                    && e.verdict() == Psi.Verdict.DRIFTED), shifted.toString());
            assertTrue(shifted.entries().stream().anyMatch(e -> e.name().equals("reward")
                    && e.psi() > same.entries().stream().filter(x -> x.name().equals("reward")).findFirst()
                            .orElseThrow().psi()), shifted.toString());
        }
    }

    @Test
    void binaryRewardsAreClassifiedWithAccuracyAndRocAucOnTheTestSplit() {
        // reward 1 with probability sigmoid(4 f): mostly decided by the planted function, sometimes not. The Bayes
        // classifier (which knows f) reaches accuracy 0.825 and ROC-AUC 0.903 over uniform states and actions;
        // chance is 0.5 for both. The thresholds leave room for 200 episodes of training data.
        java.util.Random random = new java.util.Random(5);
        List<LogRecord> logs = PlantedLogs.generate(200, 0, 5, "agent", 0).stream()
                .map(r -> new LogRecord(r.state(), r.action(), random.nextDouble() < 1 / (1 + Math.exp(-4 * r.reward()))
                        ? 1 : 0, true, "", r.episodeId(), r.step(), r.timestamp(), r.source(), r.origin()))
                .toList();
        LogModelFit.Result result = LogModelFit.fit(logs, settings(LogsSettings.EncoderKind.HASHING,
                LogsSettings.Task.AUTO));
        try (LogRewardModel model = result.model()) {
            assertTrue(model.classification(), "0/1 rewards are auto-detected");
            Evaluation.Binary binary = result.test().binary().orElseThrow();
            System.out.printf("planted binary: test accuracy %.3f, ROC-AUC %.3f%n", binary.accuracy(),
                    binary.rocAuc());
            assertTrue(binary.rocAuc() > 0.8, "ROC-AUC " + binary.rocAuc());
            assertTrue(binary.accuracy() > 0.7, "accuracy " + binary.accuracy());
            for (double p : model.predict(logs.subList(0, 50))) {
                assertTrue(p > 0 && p < 1, "a probability: " + p);
            }
        }
    }

    @Test
    void theSameLogsAndSeedGiveTheSameModel() {
        List<LogRecord> logs = PlantedLogs.generate(40, NOISE, 6, "agent", 0);
        LogsSettings settings = settings(LogsSettings.EncoderKind.HASHING, LogsSettings.Task.AUTO);
        LogModelFit.Result a = LogModelFit.fit(logs, settings);
        LogModelFit.Result b = LogModelFit.fit(logs, settings);
        try (LogRewardModel first = a.model(); LogRewardModel second = b.model()) {
            assertEquals(a.curves(), b.curves());
            assertArrayEquals(first.predict(logs), second.predict(logs));
        }
    }

    @Test
    void memorisingNoiseRaisesTheOverfittingWarning() {
        // rewards that no feature predicts: the training loss can only fall by memorising, the validation loss rises
        java.util.Random random = new java.util.Random(8);
        List<LogRecord> logs = PlantedLogs.generate(30, 0, 8, "agent", 0).stream()
                .map(r -> new LogRecord(r.state(), r.action(), random.nextGaussian(), true, "", r.episodeId(),
                        r.step(), r.timestamp(), r.source(), r.origin()))
                .toList();
        LogsSettings base = settings(LogsSettings.EncoderKind.HASHING, LogsSettings.Task.AUTO);
        LogsSettings settings = new LogsSettings(base.missing(), base.normalize(), base.perSource(), base.task(),
                base.target(), base.gamma(),
                new LogsSettings.Encoder(LogsSettings.EncoderKind.HASHING, "", 64, 32, 128), new LogsSettings.Model(128),
                new LogsSettings.Train(7, 20, 16, 0.003, 0, 20, 0.2, 0.2),
                base.drift());
        LogModelFit.Result result = LogModelFit.fit(logs, settings);
        result.model().close();
        {
            assertTrue(result.curves().warning().isPresent(), result.curves().toString());
            List<EpochCurves.Epoch> epochs = result.curves().epochs();
            assertTrue(epochs.get(epochs.size() - 1).trainLoss() < epochs.get(0).trainLoss() / 2, "it memorised");
            assertTrue(result.bestEpoch() < epochs.size(), "the best validation epoch is kept, not the last");
        }
    }
}
