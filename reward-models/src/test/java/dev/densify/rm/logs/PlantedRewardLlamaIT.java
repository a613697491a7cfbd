package dev.densify.rm.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planted reward recovered through the default encoder: mean-pooled final hidden states of the real
 * stories260K checkpoint (../shared/models, beside the repository).
 */
class PlantedRewardLlamaIT {
    private static final Path CHECKPOINT = Path.of("../../shared/models/stories260K/stories260K.bin");
    private static final double NOISE = 0.2;

    @Test
    void recoversThePlantedRewardFromLlamaFeatures(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(CHECKPOINT), "the stories260K checkpoint is not at " + CHECKPOINT);
        LogsSettings defaults = PlantedRewardTest.settings(LogsSettings.EncoderKind.LLAMA, LogsSettings.Task.AUTO);
        LogsSettings settings = new LogsSettings(defaults.missing(), defaults.normalize(), defaults.perSource(),
                defaults.task(), defaults.target(), defaults.gamma(), new LogsSettings.Encoder(LogsSettings.EncoderKind.LLAMA, CHECKPOINT.toString(), 64, 64,
                        512), defaults.model(), defaults.train(), defaults.drift());
        List<LogRecord> logs = PlantedLogs.generate(200, NOISE, 1, "agent", 0);
        LogModelFit.Result result = LogModelFit.fit(logs, settings);
        try (LogRewardModel model = result.model()) {
            double r2 = result.test().r2();
            System.out.printf("planted, llama features: test R^2 %.3f (ceiling %.3f, action alone %.3f), best epoch "
                    + "%d%n", r2, PlantedLogs.signalVariance() / (PlantedLogs.signalVariance() + NOISE * NOISE),
                    PlantedLogs.actionOnlyR2(NOISE), result.bestEpoch());
            assertTrue(r2 > 0.8, "test R^2 " + r2); // as with hashed features: the state's part must be recovered
            model.save(dir);
            try (LogRewardModel loaded = LogRewardModel.load(dir)) {
                assertArrayEquals(model.predict(logs.subList(0, 40)), loaded.predict(logs.subList(0, 40)));
            }
        }
    }
}
