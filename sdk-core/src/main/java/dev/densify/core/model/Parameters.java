package dev.densify.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.densify.api.algo.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The model's tensors: base weights under canonical names and, optionally, LoRA adapters. Owns the native
 * memory of all of them through one manager.
 */
final class Parameters implements AutoCloseable {
    private static final NDIndex ALL = new NDIndex("...");

    private final LlamaConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> base = new LinkedHashMap<>();
    private final Map<String, NDArray> adapters = new LinkedHashMap<>();
    private LoraConfig lora;

    Parameters(LlamaConfig config) {
        this.config = config;
        this.manager = NDManager.newBaseManager();
    }

    LlamaConfig config() {
        return config;
    }

    NDManager manager() {
        return manager;
    }

    /**
     * Adds a tensor that lives as long as the parameters, whatever NDScope the caller has open. It is a copy in
     * PyTorch's own (aligned) memory: a tensor over a Java buffer may sit at any alignment, and matrix kernels sum
     * in a different order at different alignments, so a model rebuilt from a checkpoint would drift from the one
     * that wrote it in the last bits.
     */
    NDArray persist(long[] shape, float[] data) {
        NDArray array = LlamaModel.owned(manager.create(data, new Shape(shape)));
        NDScope.unregister(array);
        return array;
    }

    void putBase(String name, long[] shape, float[] data) {
        base.put(name, persist(shape, data));
    }

    /** A deep copy (native clones, no gradients), with or without the adapters. */
    Parameters copy(boolean withAdapters) {
        Parameters copy = new Parameters(config);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            base.forEach((name, array) -> copy.base.put(name, copy.adopt(array.stopGradient().duplicate())));
            if (withAdapters && lora != null) {
                adapters.forEach((name, array) -> copy.adapters.put(name, copy.adopt(array.stopGradient().duplicate())));
                copy.lora = lora;
            }
        }
        return copy;
    }

    private NDArray adopt(NDArray array) {
        NDScope.unregister(array);
        array.attach(manager);
        return array;
    }

    NDArray base(String name) {
        return base.get(name);
    }

    Map<String, NDArray> baseTensors() {
        return Collections.unmodifiableMap(base);
    }

    Map<String, NDArray> adapterTensors() {
        return Collections.unmodifiableMap(adapters);
    }

    boolean hasLora() {
        return lora != null;
    }

    LoraConfig lora() {
        return lora;
    }

    static String adapterA(String weightName) {
        return module(weightName) + ".lora_A.weight";
    }

    static String adapterB(String weightName) {
        return module(weightName) + ".lora_B.weight";
    }

    private static String module(String weightName) {
        return weightName.substring(0, weightName.length() - ".weight".length());
    }

    /** Fresh adapters: A uniform(-1/sqrt(in), 1/sqrt(in)) from the config's seed, B zero. */
    void addLora(LoraConfig loraConfig) {
        SplittableRandom random = new SplittableRandom(loraConfig.seed());
        int r = loraConfig.rank();
        for (int layer = 0; layer < config.layers(); layer++) {
            for (LoraTarget target : loraConfig.targets().stream().sorted().toList()) {
                String name = target.weightName(layer);
                long[] shape = base.get(name).getShape().getShape();
                int out = (int) shape[0];
                int in = (int) shape[1];
                float[] a = new float[r * in];
                double bound = 1.0 / Math.sqrt(in);
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                }
                adapters.put(adapterA(name), persist(new long[] {r, in}, a));
                adapters.put(adapterB(name), persist(new long[] {out, r}, new float[out * r]));
            }
        }
        lora = loraConfig;
    }

    /** Expected adapter names and shapes, in order. */
    Map<String, long[]> adapterShapes() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        adapters.forEach((name, array) -> shapes.put(name, array.getShape().getShape()));
        return shapes;
    }

    /**
     * The weight the forward pass uses: the base tensor, plus scale * B A when an adapter wraps it. Detached
     * weights carry no autograd history, so inference never records a graph whatever the thread's grad mode.
     */
    NDArray effective(String name, boolean detached) {
        NDArray w = baseWeight(name, detached);
        Adapter adapter = adapter(name, detached);
        if (adapter == null) {
            return w;
        }
        NDArray update = adapter.b().matMul(adapter.a());
        return w.add(update.mul(Tensors.scalar(update, lora.scale())));
    }

    /**
     * The base tensor alone, without its adapter: the weight of a training forward that applies the adapters as a
     * separate branch (for dropout on their input).
     */
    NDArray baseWeight(String name, boolean detached) {
        return detached ? base.get(name).stopGradient() : base.get(name);
    }

    /** One LoRA adapter: A [rank, in] and B [out, rank]. */
    record Adapter(NDArray a, NDArray b) {}

    /** The adapter wrapping the weight {@code name}, or null when none does. */
    Adapter adapter(String name, boolean detached) {
        if (lora == null || !adapters.containsKey(adapterA(name))) {
            return null;
        }
        NDArray a = adapters.get(adapterA(name));
        NDArray b = adapters.get(adapterB(name));
        return detached ? new Adapter(a.stopGradient(), b.stopGradient()) : new Adapter(a, b);
    }

    /** Folds every adapter into its base weight (the same arithmetic as {@link #effective}) and drops them. */
    void mergeLora() {
        for (int layer = 0; layer < config.layers(); layer++) {
            for (LoraTarget target : lora.targets()) {
                String name = target.weightName(layer);
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    overwrite(base.get(name), effective(name, true));
                }
            }
        }
        adapters.values().forEach(NDArray::close);
        adapters.clear();
        lora = null;
    }

    /** Copies values into an existing parameter in place (through a detached alias: legal on any thread). */
    static void overwrite(NDArray parameter, NDArray values) {
        try (NDArray alias = parameter.stopGradient()) {
            alias.set(ALL, values);
        }
    }

    void setRequiresGradient(boolean trainable) {
        boolean baseTrains = trainable && lora == null;
        base.values().forEach(p -> p.setRequiresGradient(baseTrains));
        adapters.values().forEach(p -> p.setRequiresGradient(trainable));
    }

    /** The tensors an optimizer updates: the adapters when present, otherwise every base weight. */
    List<NDArray> updatable() {
        return new ArrayList<>(lora == null ? base.values() : adapters.values());
    }

    long baseCount() {
        return base.values().stream().mapToLong(NDArray::size).sum();
    }

    static WeightTensor toTensor(String name, NDArray array) {
        try (NDArray detached = array.stopGradient()) {
            return new WeightTensor(name, array.getShape().getShape(), detached.toFloatArray());
        }
    }

    static String shape(long[] shape) {
        return Arrays.toString(shape);
    }

    @Override
    public void close() {
        manager.close();
    }
}
