package dev.densify.rm.logs;

import dev.densify.api.API;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Training and validation loss per epoch, and the overfitting warning: it fires at an epoch that ends a run of
 * {@link #RUN} consecutive epochs in each of which the validation loss rose while the training loss fell (the model
 * keeps fitting the training episodes better and the held-out ones worse).
 *
 * @param epochs one entry per epoch, in order
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record EpochCurves(List<Epoch> epochs) {
    /** Consecutive diverging epochs that make a warning. */
    public static final int RUN = 3;

    /** One epoch's mean training loss (over its mini-batches) and validation loss (after the epoch). */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Epoch(int epoch, double trainLoss, double validationLoss) {}

    public EpochCurves {
        epochs = List.copyOf(Objects.requireNonNull(epochs, "epochs"));
    }

    /** The epochs (1-based) at which the warning fires; empty when the curves never diverged for {@link #RUN}. */
    public List<Integer> overfittingWarnings() {
        List<Integer> at = new ArrayList<>();
        int run = 0;
        for (int i = 1; i < epochs.size(); i++) {
            Epoch before = epochs.get(i - 1);
            Epoch now = epochs.get(i);
            boolean diverging = now.validationLoss() > before.validationLoss() && now.trainLoss() < before.trainLoss();
            run = diverging ? run + 1 : 0;
            if (run >= RUN) {
                at.add(now.epoch());
            }
        }
        return List.copyOf(at);
    }

    /** The warning as one sentence, or empty. */
    public java.util.Optional<String> warning() {
        List<Integer> at = overfittingWarnings();
        if (at.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("overfitting: validation loss rose while training loss fell for " + RUN
                + " consecutive epochs (first at epoch " + at.get(0) + "); the best validation epoch's parameters "
                + "are kept");
    }

    public EpochCurves plus(Epoch epoch) {
        List<Epoch> more = new ArrayList<>(epochs);
        more.add(epoch);
        return new EpochCurves(more);
    }
}
