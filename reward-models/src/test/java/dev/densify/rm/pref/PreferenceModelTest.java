package dev.densify.rm.pref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.model.ModelWeights;
import dev.densify.rm.encoder.LlamaTextEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreferenceModelTest {
    private static final List<String> MODULES = List.of("planner", "executor");

    private static double[] scores(PreferenceModel model, List<PreferencePair> pairs) {
        List<Double> out = new ArrayList<>();
        for (String module : model.modules()) {
            List<PreferencePair> own = pairs.stream().filter(p -> p.targetModule().equals(module)).toList();
            for (double s : model.score(module, own.stream().map(PreferencePair::positive).toList())) {
                out.add(s);
            }
            for (double s : model.score(module, own.stream().map(PreferencePair::negative).toList())) {
                out.add(s);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void stageZeroLearnsAPlantedPreferenceOnHeldOutTasksAndTheCheckpointScoresIdentically(@TempDir Path dir)
            throws Exception {
        RmSettings settings = Synthetic.settings("rm.epochs=12", "rm.batch_size=8");
        List<PreferencePair> pairs = Synthetic.pairs(96, 12, MODULES, 1);
        PreferenceTraining.Outcome outcome = PreferenceTraining.run(settings, pairs, dir, line -> {});
        PreferenceEvaluation eval = outcome.evaluation();
        assertEquals(outcome.split().heldOut().size(), eval.overall().metrics().pairs());
        assertTrue(eval.overall().metrics().accuracy().value() > 0.8, eval.overall().metrics().toString());
        assertTrue(eval.overall().metrics().accuracy().excludes(0.5));
        assertEquals(MODULES.size(), eval.modules().size());
        outcome.split().heldOut().forEach(p -> assertFalse(outcome.validationTasks().contains(p.task())));
        assertTrue(Files.size(dir.resolve("plots/scores-planner.png")) > 1000);
        String html = Files.readString(outcome.report());
        assertTrue(html.contains("pairwise accuracy") && html.contains("planner"), html.substring(0, 300));
        assertTrue(Files.readString(dir.resolve("metrics.json")).contains("\"roc_auc\""));

        try (PreferenceModel loaded = PreferenceModel.load(outcome.model(), 8)) {
            double[] first = PreferenceEvaluation.of(loaded, outcome.split().heldOut(), 200, 0.95, 0).overall()
                    .positive();
            assertArrayEquals(eval.overall().positive(), first, "scores after loading the checkpoint");
            assertArrayEquals(eval.overall().negative(),
                    PreferenceEvaluation.of(loaded, outcome.split().heldOut(), 200, 0.95, 0).overall().negative());
        }
    }

    @Test
    void theSameSeedTrainsTheSameModelAndStageOneMovesTheEncoder(@TempDir Path dir) throws Exception {
        RmSettings settings = Synthetic.settings("rm.epochs=3", "rm.finetune_epochs=2", "rm.batch_size=8",
                "rm.finetune_encoder_lr=0.001", "rm.patience=5");
        List<PreferencePair> pairs = Synthetic.pairs(40, 8, List.of("executor"), 2);
        PreferenceTraining.Outcome a = PreferenceTraining.run(settings, pairs, dir.resolve("a"), line -> {});
        PreferenceTraining.Outcome b = PreferenceTraining.run(settings, pairs, dir.resolve("b"), line -> {});
        assertArrayEquals(a.evaluation().overall().positive(), b.evaluation().overall().positive());
        assertArrayEquals(a.evaluation().overall().negative(), b.evaluation().overall().negative());
        assertEquals(a.history().epochs(), b.history().epochs());
        assertTrue(a.history().epochs().stream().anyMatch(e -> e.stage() == 1), "stage 1 ran");

        // warmup then linear decay over the stage's actual updates: its last update runs at peak / (total - warmup)
        long trainPairs = a.split().train().stream().filter(p -> !a.validationTasks().contains(p.task())).count();
        int total = 3 * (int) ((trainPairs + 7) / 8);
        int warmup = (int) Math.round(0.1 * total);
        PreferenceTrainer.Epoch last = a.history().epochs().stream().filter(e -> e.stage() == 0)
                .reduce((x, y) -> y).orElseThrow();
        assertEquals(2, last.epoch(), "stage 0 ran its 3 epochs");
        assertEquals(settings.headLr() / (total - warmup), last.learningRate(), 1e-12);
        assertEquals(3 + 2, a.history().epochs().size());

        try (LlamaTextEncoder original = LlamaTextEncoder.open(Synthetic.BIN, 48, 8);
             PreferenceModel trained = PreferenceModel.load(a.model(), 8)) {
            ModelWeights before = original.model().toWeights();
            ModelWeights after = trained.encoder().model().toWeights();
            boolean moved = before.tensors().keySet().stream()
                    .anyMatch(name -> !before.tensors().get(name).equals(after.tensors().get(name)));
            assertTrue(moved == (a.history().bestEpochs()[1] >= 0), "the encoder moved iff a stage 1 epoch was kept");
        }
    }

    @Test
    void aPairForAModuleWithoutAHeadIsRefused() throws Exception {
        try (PreferenceModel model = PreferenceModel.create(LlamaTextEncoder.open(Synthetic.BIN, 32, 4),
                List.of("planner"), List.of(8), 0)) {
            List<PreferencePair> pairs = Synthetic.pairs(2, 2, List.of("memory"), 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PreferenceEvaluation.of(model, pairs, 100, 0.95, 0));
            assertTrue(e.getMessage().contains("'memory'") && e.getMessage().contains("[planner]"), e.getMessage());
        }
    }
}
