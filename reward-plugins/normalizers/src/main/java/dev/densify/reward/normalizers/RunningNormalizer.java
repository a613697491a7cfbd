package dev.densify.reward.normalizers;

import dev.densify.api.API;
import dev.densify.api.reward.GroupedRewards;
import dev.densify.api.reward.Normalizer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Normalises by the running mean and standard deviation of every step reward seen so far:
 * r' = (r - mean) / sqrt(var + epsilon), the mean subtracted only when {@code center}, then clipped to
 * [-clip, clip]. Each batch first updates the statistics (Welford, one reward at a time in batch order, so a
 * restored normaliser continues bit for bit) and is then normalised with them, so the first batch is scaled by
 * its own spread. The statistics are the checkpointed state.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RunningNormalizer implements Normalizer {
    private static final byte STATE_VERSION = 1;
    private static final int STATE_BYTES = 1 + Long.BYTES + 2 * Double.BYTES;

    private final RunningNormalizerConfig config;
    private long count;
    private double mean;
    private double sumOfSquares;

    public RunningNormalizer(RunningNormalizerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public List<double[]> normalize(List<GroupedRewards> batch) {
        for (GroupedRewards episode : Batches.checked(batch)) {
            for (double r : episode.rewards()) {
                count++;
                double before = mean;
                mean += (r - before) / count;
                sumOfSquares += (r - before) * (r - mean);
            }
        }
        double shift = config.center() ? mean : 0;
        double scale = Math.sqrt(variance() + config.epsilon());
        List<double[]> out = new ArrayList<>(batch.size());
        for (GroupedRewards episode : batch) {
            double[] rewards = episode.rewards();
            double[] normalised = new double[rewards.length];
            for (int t = 0; t < rewards.length; t++) {
                double z = (rewards[t] - shift) / scale;
                normalised[t] = config.clip() > 0 ? Math.max(-config.clip(), Math.min(config.clip(), z)) : z;
            }
            out.add(normalised);
        }
        return out;
    }

    /** How many step rewards the statistics cover. */
    public long count() {
        return count;
    }

    /** The running mean of every step reward seen; 0 before any. */
    public double mean() {
        return mean;
    }

    /** The running population variance of every step reward seen; 0 before two. */
    public double variance() {
        return count == 0 ? 0 : sumOfSquares / count;
    }

    @Override
    public byte[] saveState() {
        return ByteBuffer.allocate(STATE_BYTES).put(STATE_VERSION).putLong(count).putDouble(mean)
                .putDouble(sumOfSquares).array();
    }

    @Override
    public void restoreState(byte[] state) {
        Objects.requireNonNull(state, "state");
        if (state.length != STATE_BYTES || state[0] != STATE_VERSION) {
            throw new IllegalArgumentException("not a running normaliser state (version " + STATE_VERSION + ", "
                    + STATE_BYTES + " bytes): got " + state.length + " bytes"
                    + (state.length > 0 ? " of version " + state[0] : ""));
        }
        ByteBuffer buffer = ByteBuffer.wrap(state, 1, STATE_BYTES - 1);
        long restoredCount = buffer.getLong();
        double restoredMean = buffer.getDouble();
        double restoredSquares = buffer.getDouble();
        if (restoredCount < 0 || !Double.isFinite(restoredMean) || !(restoredSquares >= 0)
                || Double.isInfinite(restoredSquares)) {
            throw new IllegalArgumentException("corrupt running normaliser state: count " + restoredCount
                    + ", mean " + restoredMean + ", sum of squares " + restoredSquares);
        }
        count = restoredCount;
        mean = restoredMean;
        sumOfSquares = restoredSquares;
    }
}
