package dev.densify.rm.shaper;

import dev.densify.core.model.io.TestModels;
import dev.densify.rm.encoder.LlamaTextEncoder;
import dev.densify.rm.logs.LogModelFit;
import dev.densify.rm.logs.LogReader;
import dev.densify.rm.logs.LogRewardModel;
import dev.densify.rm.logs.LogsSettings;
import dev.densify.rm.logs.MissingValues;
import dev.densify.rm.logs.RewardScales;
import dev.densify.rm.pref.PreferenceModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Small real models for the shaper's tests, built once per JVM under {@code target/}: a logs model fitted on a tiny
 * log file of a corridor walk (hashed features, seconds to fit), and a preference model over stories260K with
 * seeded heads.
 */
final class TinyModels {
    private static final Path HOME = Path.of("target", "reward-model-shaper");
    private static Path logs;
    private static Path preference;

    private TinyModels() {}

    /**
     * Logs of walks along a corridor of 6 cells toward a goal cell: stepping toward the goal earns 1, away 0, and
     * waiting 0.25; the observation says where the goal lies.
     */
    static synchronized Path logsModel() {
        if (logs == null) {
            try {
                Files.createDirectories(HOME);
                Path file = HOME.resolve("corridor.jsonl");
                Files.write(file, corridorLog(60, 11));
                MissingValues.Result records = MissingValues.apply(LogReader.read(file), MissingValues.Policy.DROP);
                LogsSettings settings = new LogsSettings(MissingValues.Policy.DROP, RewardScales.Method.ZSCORE, true,
                        LogsSettings.Task.REGRESSION, LogsSettings.Target.REWARD, 1.0,
                        new LogsSettings.Encoder(LogsSettings.EncoderKind.HASHING, "", 64, 16, 64),
                        new LogsSettings.Model(16), new LogsSettings.Train(3, 40, 32, 0.01, 0.0, 6, 0.2, 0.2),
                        new LogsSettings.Drift(10));
                Path folder = HOME.resolve("logs-model");
                try (LogRewardModel model = LogModelFit.fit(records.records(), settings).model()) {
                    model.save(folder);
                }
                logs = folder;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return logs;
    }

    static List<String> corridorLog(int episodes, long seed) {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int e = 0; e < episodes; e++) {
            int cell = random.nextInt(6);
            int goal = random.nextInt(6);
            for (int t = 0; t < 5 && cell != goal; t++) {
                String side = goal > cell ? "right" : "left";
                String action = List.of("right", "left", "wait").get(random.nextInt(3));
                double reward = action.equals("wait") ? 0.25 : action.equals(side) ? 1 : 0;
                lines.add(String.format(Locale.ROOT, "{\"episode_id\": \"e%d\", \"step\": %d, \"state\": \"cell %d, "
                        + "the goal is to the %s\", \"action\": \"%s\", \"reward\": %s}", e, t, cell, side, action,
                        reward));
                cell = Math.max(0, Math.min(5, cell + (action.equals("right") ? 1 : action.equals("left") ? -1 : 0)));
            }
        }
        return lines;
    }

    /** A preference model with one head, {@code executor}, over the frozen stories260K encoder. */
    static synchronized Path preferenceModel() {
        if (preference == null) {
            Path folder = HOME.resolve("preference-model");
            try (PreferenceModel model = PreferenceModel.create(LlamaTextEncoder.open(
                    TestModels.stories260K().resolve("stories260K.bin"), 64, 16), List.of("executor"), List.of(8),
                    5)) {
                model.save(folder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            preference = folder;
        }
        return preference;
    }
}
