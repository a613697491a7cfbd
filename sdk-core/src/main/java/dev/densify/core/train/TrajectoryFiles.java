package dev.densify.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.densify.api.API;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.buffer.TrajectoryCodec;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Sampled trajectories in a run folder: gzip'd JSON lines in the buffer's versioned encoding
 * ({@link TrajectoryCodec}). Each step object may carry three optional numbers the buffer's encoding does not
 * have: {@code value} (the critic's V(s_t)), {@code dense_reward} (the final per-step reward after shaping and
 * normalising) and {@code advantage}. They are written as JSON numbers or the strings {@code "NaN"},
 * {@code "Infinity"}, {@code "-Infinity"}, and only when known; files without them (all files written before
 * they existed) read as before.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class TrajectoryFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALUE = "value";
    private static final String DENSE_REWARD = "dense_reward";
    private static final String ADVANTAGE = "advantage";

    private TrajectoryFiles() {}

    /**
     * What training knew about each step of one trajectory. An empty array means "not known"; otherwise an array
     * holds one entry per step (values may hold T + 1, V(s_0)..V(s_T): the last, of the final state, is not stored).
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record StepValues(double[] values, double[] denseRewards, double[] advantages) {
        public static final StepValues NONE = new StepValues(new double[0], new double[0], new double[0]);

        public StepValues {
            Objects.requireNonNull(values, "values");
            Objects.requireNonNull(denseRewards, "denseRewards");
            Objects.requireNonNull(advantages, "advantages");
        }

        /** The value of step {@code t} in {@code array}, or NaN when not known. */
        public static double at(double[] array, int t) {
            return t < array.length ? array[t] : Double.NaN;
        }
    }

    /** One trajectory as read back, with whatever per-step values its file carried. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Sample(Trajectory trajectory, StepValues values) {
        public Sample {
            Objects.requireNonNull(trajectory, "trajectory");
            Objects.requireNonNull(values, "values");
        }
    }

    public static void write(Path file, List<Trajectory> trajectories) {
        write(file, trajectories, List.of());
    }

    /**
     * Writes the trajectories with their per-step values; {@code values} is empty or parallel to
     * {@code trajectories}.
     */
    public static void write(Path file, List<Trajectory> trajectories, List<StepValues> values) {
        Objects.requireNonNull(trajectories, "trajectories");
        Objects.requireNonNull(values, "values");
        if (!values.isEmpty() && values.size() != trajectories.size()) {
            throw new IllegalArgumentException("values for " + values.size() + " trajectories, but "
                    + trajectories.size() + " trajectories");
        }
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8))) {
            for (int i = 0; i < trajectories.size(); i++) {
                String line = TrajectoryCodec.toJson(trajectories.get(i));
                if (!values.isEmpty() && values.get(i) != StepValues.NONE) {
                    line = annotate(line, trajectories.get(i), values.get(i));
                }
                out.write(line);
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static List<Trajectory> read(Path file) {
        return readSamples(file).stream().map(Sample::trajectory).toList();
    }

    /** The trajectories of a file with their per-step values (empty arrays where the file has none). */
    public static List<Sample> readSamples(Path file) {
        List<Sample> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    out.add(parse(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    private static String annotate(String line, Trajectory t, StepValues v) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(line);
        ArrayNode steps = (ArrayNode) root.get("steps");
        for (int s = 0; s < steps.size(); s++) {
            ObjectNode step = (ObjectNode) steps.get(s);
            put(step, VALUE, v.values(), s, t.length() + 1);
            put(step, DENSE_REWARD, v.denseRewards(), s, t.length());
            put(step, ADVANTAGE, v.advantages(), s, t.length());
        }
        return JSON.writeValueAsString(root);
    }

    private static void put(ObjectNode step, String name, double[] array, int s, int maxLength) {
        if (array.length == 0) {
            return;
        }
        if (array.length != maxLength && array.length != maxLength - (name.equals(VALUE) ? 1 : 0)) {
            throw new IllegalArgumentException(name + " holds " + array.length + " entries for a trajectory of "
                    + (name.equals(VALUE) ? maxLength - 1 : maxLength) + " steps");
        }
        double x = array[s];
        if (Double.isFinite(x)) {
            step.put(name, x);
        } else {
            step.put(name, Double.isNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static Sample parse(String line) throws IOException {
        if (!line.contains("\"" + VALUE + "\"") && !line.contains("\"" + DENSE_REWARD + "\"")
                && !line.contains("\"" + ADVANTAGE + "\"")) {
            return new Sample(TrajectoryCodec.fromJson(line), StepValues.NONE);
        }
        JsonNode root = JSON.readTree(line);
        JsonNode steps = root.get("steps");
        if (!(root instanceof ObjectNode) || steps == null || !steps.isArray()) {
            // let the codec name what is wrong
            return new Sample(TrajectoryCodec.fromJson(line), StepValues.NONE);
        }
        int n = steps.size();
        double[][] columns = new double[3][n];
        boolean[] present = new boolean[3];
        String[] names = {VALUE, DENSE_REWARD, ADVANTAGE};
        for (int s = 0; s < n; s++) {
            ObjectNode step = (ObjectNode) steps.get(s);
            for (int c = 0; c < 3; c++) {
                JsonNode x = step.remove(names[c]);
                columns[c][s] = number(x);
                present[c] |= x != null;
            }
        }
        Trajectory trajectory = TrajectoryCodec.fromJson(JSON.writeValueAsString(root));
        return new Sample(trajectory, new StepValues(present[0] ? columns[0] : new double[0],
                present[1] ? columns[1] : new double[0], present[2] ? columns[2] : new double[0]));
    }

    private static double number(JsonNode x) {
        if (x == null) {
            return Double.NaN;
        }
        if (x.isNumber()) {
            return x.doubleValue();
        }
        return switch (x.asText()) {
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.NaN;
        };
    }
}
