package dev.densify.rm.logs;

import dev.densify.api.API;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Training and validation loss per epoch, and the overfitting warning. It fires at epoch t when, over the last
 * {@link #WINDOW} epochs, the validation loss rose while the training loss fell ({@code val(t) > val(t - 3)} and
 * {@code train(t) < train(t - 3)}) and none of those epochs improved on the best validation loss before them: the
 * model keeps fitting the training episodes better and the held-out ones worse. A window rather than three
 * consecutive rises, because validation loss zig-zags: a real overfit on 30 episodes of noise (PlantedRewardTest)
 * rose from 1.02 to 1.26 in five epochs with a dip in between.
 *
 * @param epochs one entry per epoch, in order
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record EpochCurves(List<Epoch> epochs) {
    /** The epochs over which the losses are compared. */
    public static final int WINDOW = 3;

    /** One epoch's mean training loss (over its mini-batches) and validation loss (after the epoch). */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Epoch(int epoch, double trainLoss, double validationLoss) {}

    public EpochCurves {
        epochs = List.copyOf(Objects.requireNonNull(epochs, "epochs"));
    }

    /** The epochs (1-based) at which the warning fires; empty when the curves never diverged. */
    public List<Integer> overfittingWarnings() {
        List<Integer> at = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (int t = WINDOW; t < epochs.size(); t++) {
            Epoch before = epochs.get(t - WINDOW);
            best = Math.min(best, before.validationLoss());
            Epoch now = epochs.get(t);
            boolean noImprovement = true;
            for (int k = t - WINDOW + 1; k <= t; k++) {
                noImprovement &= epochs.get(k).validationLoss() > best;
            }
            if (now.validationLoss() > before.validationLoss() && now.trainLoss() < before.trainLoss() && noImprovement) {
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
        return java.util.Optional.of("overfitting: validation loss rose while training loss fell over " + WINDOW
                + " epochs without a better validation loss (first at epoch " + at.get(0) + "); the best "
                + "validation epoch's weights are kept");
    }

    public EpochCurves plus(Epoch epoch) {
        List<Epoch> more = new ArrayList<>(epochs);
        more.add(epoch);
        return new EpochCurves(more);
    }
}
