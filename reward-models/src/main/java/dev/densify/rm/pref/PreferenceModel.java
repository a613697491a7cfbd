package dev.densify.rm.pref;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.api.API;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.io.Safetensors;
import dev.densify.rm.encoder.LlamaTextEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;

/**
 * The multi-head preference reward model: a shared {@link LlamaTextEncoder} (mean-pooled), a shared LayerNorm over
 * the pooled embeddings, and one head per module. A head reads concat(e_ctx, e_mod, e_ctx * e_mod) of the
 * normalised context and module embeddings and runs it through [Linear, LayerNorm, GELU, dropout] per hidden size,
 * then a Linear to one scalar: the reward r_k.
 *
 * <p>A checkpoint is a folder: {@code encoder/} (the encoder's weights and tokenizer, a Hugging Face folder) and
 * {@value #HEADS} (the shared norm and the heads, with the architecture in its metadata). Loading it gives the same
 * scores bit for bit.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class PreferenceModel implements AutoCloseable {
    /** The file of the heads inside a checkpoint folder. */
    public static final String HEADS = "heads.safetensors";
    /** The encoder's folder inside a checkpoint folder. */
    public static final String ENCODER = "encoder";
    private static final String META_MODULES = "densify.rm.modules";
    private static final String META_HIDDEN = "densify.rm.head_hidden";
    private static final String META_MAX_TOKENS = "densify.rm.max_tokens";
    private static final String NORM = "norm";
    private static final float LAYER_NORM_EPSILON = 1e-5f;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LlamaTextEncoder encoder;
    private final List<String> modules;
    private final List<Integer> hidden;
    private final NDManager manager = NDManager.newBaseManager();
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();

    private PreferenceModel(LlamaTextEncoder encoder, Collection<String> modules, List<Integer> hidden) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.modules = List.copyOf(new TreeSet<>(modules));
        this.hidden = List.copyOf(hidden);
        if (this.modules.isEmpty()) {
            throw new IllegalArgumentException("a preference model needs at least one module head");
        }
        if (this.hidden.isEmpty()) {
            throw new IllegalArgumentException("a head needs at least one hidden layer");
        }
    }

    /**
     * A model with freshly initialised heads (identical for equal seeds): linear weights uniform in
     * +-1/sqrt(fan_in) as PyTorch initialises them, biases 0, norm gains 1.
     */
    public static PreferenceModel create(LlamaTextEncoder encoder, Collection<String> modules, List<Integer> hidden,
                                         long seed) {
        PreferenceModel model = new PreferenceModel(encoder, modules, hidden);
        Random random = new Random(seed);
        int dim = encoder.dimension();
        model.put(NORM + ".gain", new long[] {dim}, filled(dim, 1f));
        model.put(NORM + ".bias", new long[] {dim}, new float[dim]);
        for (String module : model.modules) {
            int in = 3 * dim;
            for (int l = 0; l < model.hidden.size(); l++) {
                int out = model.hidden.get(l);
                model.linear(layer(module, l), in, out, random);
                model.put(layer(module, l) + ".ln.gain", new long[] {out}, filled(out, 1f));
                model.put(layer(module, l) + ".ln.bias", new long[] {out}, new float[out]);
                in = out;
            }
            model.linear(output(module), in, 1, random);
        }
        return model;
    }

    private static String layer(String module, int l) {
        return "head." + module + ".l" + l;
    }

    private static String output(String module) {
        return "head." + module + ".out";
    }

    private static float[] filled(int n, float value) {
        float[] data = new float[n];
        java.util.Arrays.fill(data, value);
        return data;
    }

    private void linear(String name, int in, int out, Random random) {
        float[] weight = new float[in * out];
        double bound = 1 / Math.sqrt(in);
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
        put(name + ".weight", new long[] {in, out}, weight);
        put(name + ".bias", new long[] {out}, new float[out]);
    }

    private void put(String name, long[] shape, float[] data) {
        NDArray array = LlamaModel.owned(manager.create(data, new Shape(shape)));
        NDScope.unregister(array);
        array.setRequiresGradient(true);
        parameters.put(name, array);
    }

    public LlamaTextEncoder encoder() {
        return encoder;
    }

    /** The modules that have a head, sorted. */
    public List<String> modules() {
        return modules;
    }

    public List<Integer> hidden() {
        return hidden;
    }

    /** The shared norm's and every head's parameters, in a fixed order (an optimizer keys its moments by it). */
    public List<NDArray> headParameters() {
        return List.copyOf(parameters.values());
    }

    /** Whether {@code module} has a head. */
    public boolean hasHead(String module) {
        return modules.contains(module);
    }

    private void requireHead(String module) {
        if (!hasHead(module)) {
            throw new IllegalArgumentException("the model has no head for module '" + module + "'; its heads are "
                    + modules);
        }
    }

    /**
     * The rewards r_k [n] of embeddings [n, dim] of contexts and module outputs, differentiable in the head
     * parameters (and in the embeddings, when they are).
     */
    NDArray forward(String module, NDArray context, NDArray moduleOutput, Dropout dropout) {
        requireHead(module);
        NDArray c = layerNorm(context, NORM);
        NDArray m = layerNorm(moduleOutput, NORM);
        NDArray x = NDArrays.concat(new NDList(c, m, c.mul(m)), 1);
        for (int l = 0; l < hidden.size(); l++) {
            String name = layer(module, l);
            x = dropout.apply(Activation.gelu(layerNorm(linear(x, name), name + ".ln")));
        }
        return linear(x, output(module)).reshape(-1);
    }

    private NDArray linear(NDArray x, String name) {
        return x.matMul(parameters.get(name + ".weight")).add(parameters.get(name + ".bias"));
    }

    private NDArray layerNorm(NDArray x, String name) {
        NDArray centred = x.sub(x.mean(new int[] {-1}, true));
        NDArray variance = centred.square().mean(new int[] {-1}, true);
        return centred.div(variance.add(LAYER_NORM_EPSILON).sqrt())
                .mul(parameters.get(name + ".gain")).add(parameters.get(name + ".bias"));
    }

    /** Rewards of cached embeddings (no dropout, no gradients). */
    public double[] score(String module, float[][] context, float[][] moduleOutput) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(moduleOutput, "moduleOutput");
        if (context.length != moduleOutput.length) {
            throw new IllegalArgumentException(context.length + " contexts but " + moduleOutput.length + " module outputs");
        }
        if (context.length == 0) {
            return new double[0];
        }
        try (NDManager scratch = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray r = forward(module, rows(scratch, context), rows(scratch, moduleOutput), Dropout.OFF).stopGradient();
            float[] values = r.toFloatArray();
            double[] out = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = values[i];
            }
            return out;
        }
    }

    /** Rewards of trajectories' sides under {@code module}'s head, encoding their texts with the frozen path. */
    public double[] score(String module, List<PreferencePair.Side> sides) {
        requireHead(module);
        float[][] context = encoder.encode(sides.stream().map(PreferencePair.Side::trajectoryFullContext).toList());
        float[][] outputs = encoder.encode(sides.stream().map(PreferencePair.Side::moduleKAllRounds).toList());
        return score(module, context, outputs);
    }

    static NDArray rows(NDManager manager, float[][] rows) {
        int dim = rows[0].length;
        float[] flat = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * dim, dim);
        }
        return LlamaModel.owned(manager.create(flat, new Shape(rows.length, dim)));
    }

    /** A copy of every head parameter's values, for {@link #restoreHeads} (early stopping keeps the best). */
    Map<String, float[]> snapshotHeads() {
        Map<String, float[]> out = new LinkedHashMap<>();
        parameters.forEach((name, array) -> out.put(name, array.toFloatArray()));
        return out;
    }

    void restoreHeads(Map<String, float[]> snapshot) {
        snapshot.forEach((name, data) -> {
            NDArray target = parameters.get(name);
            try (NDArray source = manager.create(data, target.getShape()); NDArray alias = target.stopGradient()) {
                alias.set(new ai.djl.ndarray.index.NDIndex("..."), source);
            }
        });
    }

    /** Writes the checkpoint folder ({@code encoder/} and {@value #HEADS}). */
    public void save(Path folder) throws IOException {
        Files.createDirectories(folder);
        ModelFiles.write(encoder.model().toWeights(), folder.resolve(ENCODER));
        List<WeightTensor> tensors = new ArrayList<>();
        parameters.forEach((name, array) -> tensors.add(new WeightTensor(name, array.getShape().getShape(),
                array.toFloatArray())));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(META_MODULES, JSON.writeValueAsString(modules));
        metadata.put(META_HIDDEN, JSON.writeValueAsString(hidden));
        metadata.put(META_MAX_TOKENS, Integer.toString(encoder.maxTokens()));
        Safetensors.write(folder.resolve(HEADS), tensors, metadata);
    }

    /** Loads a checkpoint folder that {@link #save} wrote. */
    public static PreferenceModel load(Path folder, int encodeBatch) throws IOException {
        Path heads = folder.resolve(HEADS);
        if (!Files.isRegularFile(heads)) {
            throw new IOException(folder + " is not a preference model checkpoint: it has no " + HEADS);
        }
        Safetensors.Contents contents = Safetensors.read(heads);
        Map<String, String> metadata = contents.metadata();
        for (String key : List.of(META_MODULES, META_HIDDEN, META_MAX_TOKENS)) {
            if (!metadata.containsKey(key)) {
                throw new IOException(heads + " lacks the metadata entry " + key);
            }
        }
        List<String> modules = JSON.readValue(metadata.get(META_MODULES), new TypeReference<List<String>>() {});
        List<Integer> hidden = JSON.readValue(metadata.get(META_HIDDEN), new TypeReference<List<Integer>>() {});
        int maxTokens = Integer.parseInt(metadata.get(META_MAX_TOKENS));
        LlamaTextEncoder encoder = LlamaTextEncoder.open(folder.resolve(ENCODER), maxTokens, encodeBatch);
        PreferenceModel model = create(encoder, modules, hidden, 0);
        Map<String, WeightTensor> tensors = contents.tensors();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (var entry : model.parameters.entrySet()) {
            WeightTensor tensor = tensors.get(entry.getKey());
            if (tensor == null || !java.util.Arrays.equals(tensor.shape(), entry.getValue().getShape().getShape())) {
                model.close();
                throw new IOException(heads + ": tensor " + entry.getKey() + " is "
                        + (tensor == null ? "missing" : "of shape " + java.util.Arrays.toString(tensor.shape()))
                        + ", expected shape " + entry.getValue().getShape());
            }
            values.put(entry.getKey(), tensor.data());
        }
        if (tensors.size() != values.size()) {
            model.close();
            throw new IOException(heads + " holds " + tensors.size() + " tensors, the architecture has " + values.size());
        }
        model.restoreHeads(values);
        return model;
    }

    @Override
    public void close() {
        manager.close();
        encoder.close();
    }
}
