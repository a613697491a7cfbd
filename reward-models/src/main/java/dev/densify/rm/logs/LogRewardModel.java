package dev.densify.rm.logs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.densify.api.API;
import dev.densify.rm.encoder.HashingTextEncoder;
import dev.densify.rm.encoder.LlamaTextEncoder;
import dev.densify.rm.encoder.TextEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fitted reward model over logged interactions: the text encoder of state and action, the feature
 * standardisation and predictor weights, the reward scales that map its outputs back to each source's scale, and
 * the training logs' reference distributions for the drift check. {@link #save} writes one JSON file;
 * {@link #load} gives a model that predicts exactly what the saved one did.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class LogRewardModel implements AutoCloseable {
    /** The file a model folder holds. */
    public static final String FILE_NAME = "logs-model.json";
    private static final int FORMAT = 1;
    /** Standardised features beyond this many deviations carry no more information, only instability. */
    private static final float FEATURE_CLIP = 10;
    private static final int CHUNK = 512;
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /**
     * Everything but the encoder, as saved.
     *
     * @param format the file format's version
     * @param target what the model predicts: the reward, or the discounted return from the step
     * @param gamma the discount of the return
     * @param encoder how to rebuild the encoder
     * @param classification whether the output is the logit of reward 1 (else the normalised reward)
     * @param scales the rewards' normalisation (method NONE under classification)
     * @param hidden the predictor's width
     * @param featureMean per input dimension, of the training records
     * @param featureStd per input dimension, of the training records
     * @param weights the predictor's tensors, in {@link RewardNet}'s order
     * @param projections fixed random unit directions of the standardised features the drift check summarises
     * @param references the training records' distributions, by name, for the drift check
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record State(int format, LogsSettings.Target target, double gamma, LogsSettings.Encoder encoder, boolean classification, RewardScales scales,
                        int hidden, float[] featureMean, float[] featureStd, float[][] weights,
                        float[][] projections, Map<String, Psi> references) {}

    private final State state;
    private final TextEncoder encoder;

    LogRewardModel(State state, TextEncoder encoder) {
        this.state = Objects.requireNonNull(state, "state");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        if (2 * encoder.dimension() != state.featureMean().length) {
            throw new IllegalArgumentException("the encoder gives vectors of " + encoder.dimension()
                    + " but the model was trained on " + state.featureMean().length / 2);
        }
    }

    public State state() {
        return state;
    }

    public boolean classification() {
        return state.classification();
    }

    public RewardScales scales() {
        return state.scales();
    }

    /** The records with the model's target as their reward: the reward itself, or the return from the step. */
    public List<LogRecord> labelled(List<LogRecord> records) {
        return state.target() == LogsSettings.Target.RETURN ? Returns.toGo(records, state.gamma()) : records;
    }

    /** The encoder a configuration names. */
    public static TextEncoder openEncoder(LogsSettings.Encoder settings) {
        return switch (settings.kind()) {
            case HASHING -> new HashingTextEncoder(settings.dimension());
            case LLAMA -> {
                Path checkpoint = Path.of(settings.checkpoint());
                if (!Files.exists(checkpoint)) {
                    throw new IllegalArgumentException("logs.encoder.checkpoint: " + checkpoint.toAbsolutePath()
                            + " does not exist; name a llama2.c .bin, GGUF file or safetensors folder, or use "
                            + "logs.encoder.kind=hashing");
                }
                try {
                    yield LlamaTextEncoder.open(checkpoint, settings.maxTokens(), settings.batch());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the encoder checkpoint " + checkpoint, e);
                }
            }
        };
    }

    /**
     * The predicted reward of every record on its source's scale; under classification the probability of
     * reward 1.
     */
    public double[] predict(List<LogRecord> records) {
        double[] out = outputs(features(records));
        for (int i = 0; i < out.length; i++) {
            out[i] = state.classification() ? sigmoid(out[i]) : state.scales().restore(records.get(i).source(), out[i]);
        }
        return out;
    }

    /** Standardised and clipped concat(encode(state), encode(action)) of every record. */
    float[][] features(List<LogRecord> records) {
        return standardise(encode(encoder, records), state.featureMean(), state.featureStd());
    }

    /** The predictor's raw outputs (normalised reward or logit). */
    double[] outputs(float[][] features) {
        int input = state.featureMean().length;
        double[] out = new double[features.length];
        for (int from = 0; from < features.length; from += CHUNK) {
            int to = Math.min(features.length, from + CHUNK);
            try (NDManager manager = NDManager.newBaseManager()) {
                List<NDArray> p = RewardNet.arrays(manager, state.weights(), input, state.hidden(), false);
                float[] y = RewardNet.forward(p, batch(manager, features, from, to)).toFloatArray();
                for (int i = 0; i < y.length; i++) {
                    out[from + i] = y[i];
                }
            }
        }
        return out;
    }

    static NDArray batch(NDManager manager, float[][] rows, int from, int to) {
        int width = rows[0].length;
        float[] flat = new float[(to - from) * width];
        for (int i = from; i < to; i++) {
            System.arraycopy(rows[i], 0, flat, (i - from) * width, width);
        }
        return dev.densify.core.model.LlamaModel.owned(manager.create(flat, new Shape(to - from, width)));
    }

    static NDArray batch(NDManager manager, float[][] rows, int[] order, int from, int to) {
        float[][] picked = new float[to - from][];
        for (int i = from; i < to; i++) {
            picked[i - from] = rows[order[i]];
        }
        return batch(manager, picked, 0, picked.length);
    }

    /** concat(encode(state), encode(action)), each distinct text encoded once. */
    static float[][] encode(TextEncoder encoder, List<LogRecord> records) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (LogRecord r : records) {
            index.putIfAbsent(r.state(), index.size());
            index.putIfAbsent(r.action(), index.size());
        }
        List<String> texts = new ArrayList<>(index.keySet());
        float[][] vectors = new float[texts.size()][];
        int step = 256;
        for (int from = 0; from < texts.size(); from += step) {
            float[][] part = encoder.encode(texts.subList(from, Math.min(texts.size(), from + step)));
            System.arraycopy(part, 0, vectors, from, part.length);
        }
        int d = encoder.dimension();
        float[][] out = new float[records.size()][2 * d];
        for (int i = 0; i < records.size(); i++) {
            float[] s = vectors[index.get(records.get(i).state())];
            float[] a = vectors[index.get(records.get(i).action())];
            if (s.length != d || a.length != d) {
                throw new IllegalStateException("the encoder returned a vector of " + s.length + " or " + a.length
                        + " values, not its dimension " + d);
            }
            for (int k = 0; k < d; k++) {
                if (!Float.isFinite(s[k]) || !Float.isFinite(a[k])) {
                    throw new IllegalStateException("the encoder returned a non-finite feature for the record at "
                            + records.get(i).origin());
                }
            }
            System.arraycopy(s, 0, out[i], 0, d);
            System.arraycopy(a, 0, out[i], d, d);
        }
        return out;
    }

    static float[][] standardise(float[][] raw, float[] mean, float[] std) {
        float[][] out = new float[raw.length][mean.length];
        for (int i = 0; i < raw.length; i++) {
            for (int k = 0; k < mean.length; k++) {
                float z = (raw[i][k] - mean[k]) / std[k];
                out[i][k] = Math.max(-FEATURE_CLIP, Math.min(FEATURE_CLIP, z));
            }
        }
        return out;
    }

    /** The summaries the drift check compares: prediction, reward, text lengths and feature projections. */
    Map<String, double[]> summaries(List<LogRecord> records, float[][] features, double[] predictions) {
        Map<String, double[]> out = new LinkedHashMap<>();
        out.put("prediction", predictions);
        double[] rewards = records.stream().filter(LogRecord::rewardObserved).mapToDouble(LogRecord::reward).toArray();
        if (rewards.length > 0) {
            out.put("reward", rewards);
        }
        out.put("state_length", records.stream().mapToDouble(r -> r.state().length()).toArray());
        out.put("action_length", records.stream().mapToDouble(r -> r.action().length()).toArray());
        for (int p = 0; p < state.projections().length; p++) {
            float[] direction = state.projections()[p];
            double[] values = new double[features.length];
            for (int i = 0; i < features.length; i++) {
                double dot = 0;
                for (int k = 0; k < direction.length; k++) {
                    dot += direction[k] * features[i][k];
                }
                values[i] = dot;
            }
            out.put("feature_projection_" + (p + 1), values);
        }
        return out;
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Writes {@value #FILE_NAME} into {@code folder} (created if needed). */
    public void save(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path tmp = folder.resolve(FILE_NAME + ".tmp");
        JSON.writeValue(tmp.toFile(), state);
        Files.move(tmp, folder.resolve(FILE_NAME), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The model of a folder {@link #save} wrote (or of the file itself), with its encoder opened again. */
    public static LogRewardModel load(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(path + " holds no " + FILE_NAME + "; train one with densify rm logs fit");
        }
        State state;
        try {
            state = JSON.readValue(file.toFile(), State.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not a logged-interaction reward model: "
                    + e.getMessage(), e);
        }
        if (state.format() != FORMAT) {
            throw new IllegalArgumentException(file + " has format " + state.format() + "; this densify reads "
                    + FORMAT);
        }
        TextEncoder encoder = openEncoder(state.encoder());
        try {
            return new LogRewardModel(state, encoder);
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    static State state(LogsSettings.Target target, double gamma, LogsSettings.Encoder encoder, boolean classification, RewardScales scales, int hidden,
                       float[] mean, float[] std, float[][] weights, float[][] projections,
                       Map<String, Psi> references) {
        return new State(FORMAT, target, gamma, encoder, classification, scales, hidden, mean, std, weights, projections,
                references);
    }

    @Override
    public void close() {
        encoder.close();
    }
}
