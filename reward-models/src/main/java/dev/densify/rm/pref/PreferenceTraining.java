package dev.densify.rm.pref;

import dev.densify.api.API;
import dev.densify.rm.encoder.LlamaTextEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One training of a preference model from pairs, end to end: a held-out split by task, a validation split (by
 * task again) of the rest for early stopping, both stages, the checkpoint, and the evaluation on the held-out
 * pairs, which neither training nor the choice of epochs has seen.
 *
 * <p>The output folder holds {@code model/} (the checkpoint), {@code report.html}, {@code metrics.json} and
 * {@code plots/}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class PreferenceTraining {
    /** The checkpoint's folder inside the output folder. */
    public static final String MODEL = "model";

    /**
     * What a training gave.
     *
     * @param validationTasks the tasks whose pairs chose the epochs
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Outcome(PairSplit split, List<String> validationTasks, PreferenceTrainer.History history,
                          PreferenceEvaluation evaluation, Path model, Path report) {}

    private PreferenceTraining() {}

    public static Outcome run(RmSettings settings, List<PreferencePair> pairs, Path out, Consumer<String> log)
            throws IOException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(out, "out");
        if (settings.encoder().isBlank()) {
            throw new IllegalArgumentException("rm.encoder is empty; name the encoder checkpoint, e.g. "
                    + "rm.encoder=models/stories260K/stories260K.bin (a llama2.c .bin, GGUF, Hugging Face folder or "
                    + "policy checkpoint)");
        }
        PairSplit split = PairSplit.byTask(pairs, settings.heldOut(), settings.seed());
        PairSplit inner;
        try {
            inner = PairSplit.byTask(split.train(), settings.heldOut(), settings.seed() + 1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("after holding out " + split.heldOutTasks().size()
                    + " tasks for evaluation, the training pairs cannot give a validation split: " + e.getMessage());
        }
        log.accept(String.format("%d pairs of %d tasks: %d training, %d validation (%d tasks), %d held out (%d tasks)",
                pairs.size(), pairs.stream().map(PreferencePair::task).distinct().count(), inner.train().size(),
                inner.heldOut().size(), inner.heldOutTasks().size(), split.heldOut().size(),
                split.heldOutTasks().size()));
        TreeSet<String> modules = new TreeSet<>(settings.modules());
        pairs.forEach(p -> modules.add(p.targetModule()));
        LlamaTextEncoder encoder = LlamaTextEncoder.open(Path.of(settings.encoder()), settings.maxTokens(),
                settings.encodeBatch());
        PreferenceModel created;
        try {
            created = PreferenceModel.create(encoder, modules, settings.headHidden(), settings.seed() + 2);
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
        try (PreferenceModel model = created) {
            PreferenceTrainer.History history = new PreferenceTrainer(settings, log)
                    .train(model, inner.train(), inner.heldOut());
            Path modelFolder = out.resolve(MODEL);
            model.save(modelFolder);
            PreferenceEvaluation evaluation = PreferenceEvaluation.of(model, split.heldOut(), settings.bootstrap(),
                    0.95, settings.seed());
            List<String> notes = new ArrayList<>();
            notes.add("held-out tasks (never trained on, never used to choose epochs): " + split.heldOutTasks());
            notes.add("validation tasks (chose each stage's epoch): " + inner.heldOutTasks() + ", "
                    + inner.heldOut().size() + " pairs");
            notes.add("intervals resample pairs as if independent; pairs of one task share episodes, so with few "
                    + "held-out tasks the intervals are optimistic");
            notes.add("epochs kept: stage 0 epoch " + history.bestEpochs()[0]
                    + (settings.finetuneEpochs() > 0 ? ", stage 1 epoch " + history.bestEpochs()[1] : "")
                    + "; " + history.updates() + " updates");
            Path report = PreferenceReport.write(out, "Preference reward model", evaluation, history.epochs(), notes);
            return new Outcome(split, List.copyOf(inner.heldOutTasks()), history, evaluation, modelFolder, report);
        }
    }
}
