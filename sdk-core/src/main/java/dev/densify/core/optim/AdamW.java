package dev.densify.core.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.densify.api.API;
import dev.densify.core.model.LlamaModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019) over DJL arrays whose gradients a
 * {@code GradientCollector} filled. Weight decay applies to matrices only (rank >= 2: projections and
 * embeddings), never to norm gains or biases. Parameters are updated in place through detached aliases, which
 * is legal on any thread. The moments are keyed by position in the parameter list, so pass the same list, in
 * the same order, at every step.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class AdamW implements AutoCloseable {
    private static final int MAGIC = 0x41644d57; // "AdMW"
    private static final int VERSION = 1;
    private static final NDIndex ALL = new NDIndex("...");

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final NDManager manager = NDManager.newBaseManager();
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private double learningRate;
    private long steps;

    public AdamW(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
        require(learningRate >= 0 && Double.isFinite(learningRate), "learning rate must be >= 0, got " + learningRate);
        require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
        require(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
        require(epsilon > 0 && Double.isFinite(epsilon), "epsilon must be positive, got " + epsilon);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight decay must be >= 0, got " + weightDecay);
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    /** betas (0.9, 0.999) and epsilon 1e-8, as the policy, the warm start and the reward models train. */
    public static AdamW of(double learningRate, double weightDecay) {
        return new AdamW(learningRate, 0.9, 0.999, 1e-8, weightDecay);
    }

    /** betas (0.9, 0.999), epsilon 1e-8, weight decay 0.01. */
    public static AdamW withDefaults(double learningRate) {
        return of(learningRate, 0.01);
    }

    public double learningRate() {
        return learningRate;
    }

    /** Sets the rate of the following steps, e.g. from a {@link LearningRateSchedule}. */
    public void setLearningRate(double learningRate) {
        require(learningRate >= 0 && Double.isFinite(learningRate), "learning rate must be >= 0, got " + learningRate);
        this.learningRate = learningRate;
    }

    /** Updates taken so far. */
    public long steps() {
        return steps;
    }

    /** One update of every parameter from its current gradient. */
    public void step(List<NDArray> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        if (firstMoments.isEmpty()) {
            for (NDArray p : parameters) {
                firstMoments.add(persistent(manager.zeros(p.getShape())));
                secondMoments.add(persistent(manager.zeros(p.getShape())));
            }
        }
        checkMatches(parameters);
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        for (int i = 0; i < parameters.size(); i++) {
            NDArray p = parameters.get(i);
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray g = p.getGradient();
                NDArray m = firstMoments.get(i).muli(beta1).addi(g.mul(1 - beta1));
                NDArray v = secondMoments.get(i).muli(beta2).addi(g.square().mul(1 - beta2));
                NDArray alias = p.stopGradient();
                if (weightDecay > 0 && p.getShape().dimension() >= 2) {
                    alias.muli(1 - learningRate * weightDecay);
                }
                alias.subi(m.div(correction1).div(v.div(correction2).sqrt().add(epsilon)).mul(learningRate));
            }
        }
    }

    /**
     * Sets every parameter's gradient to zero (gradients accumulate across backward passes). In a scope: DJL's
     * {@code set(index, number)} makes the number an array on the gradient's manager (the parameter's, alive as
     * long as the model) and never closes it, one array per parameter per step.
     */
    public void zeroGradients(List<NDArray> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (NDArray p : parameters) {
                if (p.hasGradient()) {
                    p.getGradient().set(ALL, 0f);
                }
            }
        }
    }

    /**
     * Scales all gradients together so that their global L2 norm is at most {@code maxNorm}, and returns the norm
     * before clipping. A non-finite norm leaves the gradients untouched, for the caller to skip the step.
     */
    public double clipGradNorm(List<NDArray> parameters, double maxNorm) {
        Objects.requireNonNull(parameters, "parameters");
        require(maxNorm > 0, "maxNorm must be positive, got " + maxNorm);
        if (parameters.isEmpty()) {
            return 0;
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<NDArray> gradients = new ArrayList<>();
            NDList squares = new NDList();
            for (NDArray p : parameters) {
                NDArray g = p.getGradient();
                gradients.add(g);
                squares.add(g.square().sum());
            }
            double norm = Math.sqrt(NDArrays.stack(squares).sum().getFloat());
            if (Double.isFinite(norm) && norm > maxNorm) {
                double scale = maxNorm / (norm + 1e-6);
                gradients.forEach(g -> g.muli(scale));
            }
            return norm;
        }
    }

    /** The step count and both moments of every parameter; {@link #restoreState} continues exactly from it. */
    public byte[] saveState() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(steps);
            out.writeInt(firstMoments.size());
            for (int i = 0; i < firstMoments.size(); i++) {
                long[] shape = firstMoments.get(i).getShape().getShape();
                out.writeInt(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                for (NDArray moment : List.of(firstMoments.get(i), secondMoments.get(i))) {
                    for (float f : moment.toFloatArray()) {
                        out.writeFloat(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Replaces step count and moments with those of {@link #saveState()}. */
    public void restoreState(byte[] state) {
        Objects.requireNonNull(state, "state");
        List<NDArray> first = new ArrayList<>();
        List<NDArray> second = new ArrayList<>();
        long restoredSteps;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not an AdamW state (wrong magic number)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported AdamW state version " + version + ", expected " + VERSION);
            }
            restoredSteps = in.readLong();
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                long[] shape = new long[in.readInt()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                }
                int size = Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
                // PyTorch-owned copies, aligned like the moments a fresh optimizer allocates
                first.add(persistent(LlamaModel.owned(manager.create(readFloats(in, size), new Shape(shape)))));
                second.add(persistent(LlamaModel.owned(manager.create(readFloats(in, size), new Shape(shape)))));
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("AdamW state has trailing bytes");
            }
        } catch (IOException e) {
            first.forEach(NDArray::close);
            second.forEach(NDArray::close);
            throw new IllegalArgumentException("truncated AdamW state: " + e.getMessage(), e);
        }
        firstMoments.forEach(NDArray::close);
        secondMoments.forEach(NDArray::close);
        firstMoments.clear();
        secondMoments.clear();
        firstMoments.addAll(first);
        secondMoments.addAll(second);
        steps = restoredSteps;
    }

    private static float[] readFloats(DataInputStream in, int size) throws IOException {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }

    private void checkMatches(List<NDArray> parameters) {
        if (parameters.size() != firstMoments.size()) {
            throw new IllegalArgumentException("AdamW holds moments of " + firstMoments.size()
                    + " parameters but step got " + parameters.size());
        }
        for (int i = 0; i < parameters.size(); i++) {
            if (!parameters.get(i).getShape().equals(firstMoments.get(i).getShape())) {
                throw new IllegalArgumentException("parameter " + i + " has shape " + parameters.get(i).getShape()
                        + " but its AdamW moments have shape " + firstMoments.get(i).getShape());
            }
        }
    }

    private static NDArray persistent(NDArray array) {
        NDScope.unregister(array);
        return array;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
