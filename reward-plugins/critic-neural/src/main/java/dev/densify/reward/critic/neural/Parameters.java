package dev.densify.reward.critic.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A head's named parameter tensors, held on the Java heap in a fixed order. Weight matrices take weight decay;
 * biases and LayerNorm parameters do not, since shrinking them towards 0 only biases the fit.
 */
final class Parameters {

    /** One tensor: its shape, row-major values and whether AdamW decays it. */
    record Tensor(long[] shape, float[] values, boolean decays) {
        Tensor copy() {
            return new Tensor(shape.clone(), values.clone(), decays);
        }
    }

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalStateException("no parameter " + name);
        }
        return t;
    }

    /** A dense layer x W + b with W ~ N(0, 1 / fanIn), so activations keep their scale; b = 0. */
    Parameters linear(String name, int fanIn, int fanOut, Random random) {
        float[] weight = new float[fanIn * fanOut];
        double std = 1 / Math.sqrt(fanIn);
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) (random.nextGaussian() * std);
        }
        tensors.put(name + ".weight", new Tensor(new long[] {fanIn, fanOut}, weight, true));
        tensors.put(name + ".bias", new Tensor(new long[] {fanOut}, new float[fanOut], false));
        return this;
    }

    /** A linear map without bias (attention projections). */
    Parameters matrix(String name, int fanIn, int fanOut, Random random) {
        linear(name, fanIn, fanOut, random);
        tensors.remove(name + ".bias");
        return this;
    }

    /** LayerNorm gain 1 and bias 0. */
    Parameters layerNorm(String name, int dim) {
        float[] gain = new float[dim];
        Arrays.fill(gain, 1);
        tensors.put(name + ".gain", new Tensor(new long[] {dim}, gain, false));
        tensors.put(name + ".bias", new Tensor(new long[] {dim}, new float[dim], false));
        return this;
    }

    Parameters copy() {
        Parameters copy = new Parameters();
        tensors.forEach((name, t) -> copy.tensors.put(name, t.copy()));
        return copy;
    }

    /** Overwrites every value with the other's; both must have the same layout. */
    void setFrom(Parameters other) {
        tensors.forEach((name, t) -> System.arraycopy(other.get(name).values(), 0, t.values(), 0, t.values().length));
    }

    /** Same names, order and shapes. */
    boolean sameLayout(Parameters other) {
        if (!tensors.keySet().equals(other.tensors.keySet())) {
            return false;
        }
        return tensors.entrySet().stream()
                .allMatch(e -> Arrays.equals(e.getValue().shape(), other.get(e.getKey()).shape()));
    }

    /** The tensors as DJL arrays in {@code manager}; {@code trainable} attaches gradients. */
    Map<String, NDArray> toArrays(NDManager manager, boolean trainable) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            NDArray array = manager.create(t.values(), new Shape(t.shape()));
            if (trainable) {
                array.setRequiresGradient(true);
            }
            arrays.put(name, array);
        });
        return arrays;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            out.writeUTF(e.getKey());
            out.writeBoolean(t.decays());
            out.writeInt(t.shape().length);
            for (long d : t.shape()) {
                out.writeLong(d);
            }
            out.writeInt(t.values().length);
            for (float v : t.values()) {
                out.writeFloat(v);
            }
        }
    }

    static Parameters read(DataInputStream in) throws IOException {
        Parameters p = new Parameters();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            boolean decays = in.readBoolean();
            long[] shape = new long[in.readInt()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.readLong();
            }
            float[] values = new float[in.readInt()];
            for (int v = 0; v < values.length; v++) {
                values[v] = in.readFloat();
            }
            p.tensors.put(name, new Tensor(shape, values, decays));
        }
        return p;
    }
}
