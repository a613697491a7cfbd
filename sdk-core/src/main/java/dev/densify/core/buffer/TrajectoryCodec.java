package dev.densify.core.buffer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.densify.api.API;
import dev.densify.api.env.Outcome;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one encoding of a {@link Trajectory} densify writes anywhere (Redis stream entries, the run folder's
 * {@code trajectories/*.jsonl.gz}): one line of UTF-8 JSON, never Java serialisation. Format version 1:
 *
 * <pre>
 * {"v":1,                          format version, always the first field
 *  "id":"…", "task":"…", "group":"…", "seed":42, "policy":7,        policy = policyVersion
 *  "outcome":{"reward":1.0,"success":true}, "terminated":true,
 *  "final_obs":"…", "final_key":"…",
 *  "steps":[{"obs":"…","key":"…","anchor":"…" (only when it differs from key),"render":"…",
 *            "prompt":"&lt;b64 int32&gt;","action":"…","tokens":"&lt;b64 int32&gt;","logp":"&lt;b64 float32&gt;",
 *            "reward":0.0,"done":false,"info":{"k":"v"}}, …]}
 * </pre>
 *
 * Token ids ({@code prompt}, {@code tokens}) are standard base64 (RFC 4648, padded) of little-endian int32;
 * log-probabilities ({@code logp}) of little-endian IEEE-754 float32, so they round-trip bit for bit (in Python:
 * {@code numpy.frombuffer(base64.b64decode(s), "<i4")} or {@code "<f4"}). Rewards are JSON numbers, or the
 * strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}. {@code info} is left out when empty. Readers
 * reject other versions, unknown or repeated fields and missing ones, each with a message naming the field:
 * a change to the format is a new version, never a silent reinterpretation.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class TrajectoryCodec {

    /** The format version this class writes and the only one it reads. */
    public static final int VERSION = 1;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private TrajectoryCodec() {}

    /** The trajectory as one line of UTF-8 JSON (no line break inside or at the end). */
    public static byte[] encode(Trajectory trajectory) {
        Objects.requireNonNull(trajectory, "trajectory");
        try (ByteArrayBuilder out = new ByteArrayBuilder(estimateSize(trajectory));
             JsonGenerator g = JSON.createGenerator(out)) {
            write(g, trajectory);
            g.flush();
            return out.toByteArray();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot encode trajectory " + trajectory.id() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #encode} as a string, for writing {@code .jsonl} files line by line. */
    public static String toJson(Trajectory trajectory) {
        return new String(encode(trajectory), StandardCharsets.UTF_8);
    }

    /** Reads one trajectory written by {@link #encode}. */
    public static Trajectory decode(byte[] json) {
        Objects.requireNonNull(json, "json");
        try (JsonParser p = JSON.createParser(json)) {
            Trajectory trajectory = readTrajectory(p);
            if (p.nextToken() != null) {
                throw new TrajectoryFormatException("Cannot decode trajectory: unexpected content after the object");
            }
            return trajectory;
        } catch (TrajectoryFormatException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new TrajectoryFormatException("Cannot decode trajectory: " + message(e), e);
        }
    }

    /** Reads one line of a {@code .jsonl} file written with {@link #toJson}. */
    public static Trajectory fromJson(String line) {
        return decode(Objects.requireNonNull(line, "line").getBytes(StandardCharsets.UTF_8));
    }

    private static void write(JsonGenerator g, Trajectory t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("v", VERSION);
        text(g, "id", t.id());
        text(g, "task", t.taskId());
        text(g, "group", t.groupId());
        g.writeNumberField("seed", t.seed());
        g.writeNumberField("policy", t.policyVersion());
        g.writeObjectFieldStart("outcome");
        writeDouble(g, "reward", t.outcome().reward());
        g.writeBooleanField("success", t.outcome().success());
        g.writeEndObject();
        g.writeBooleanField("terminated", t.terminated());
        text(g, "final_obs", t.finalObservation());
        text(g, "final_key", t.finalStateKey());
        g.writeArrayFieldStart("steps");
        for (Step s : t.steps()) {
            g.writeStartObject();
            text(g, "obs", s.observation());
            text(g, "key", s.stateKey());
            if (!s.anchorKey().equals(s.stateKey())) {
                text(g, "anchor", s.anchorKey());
            }
            text(g, "render", s.rendered());
            g.writeFieldName("prompt");
            g.writeBinary(ints(s.promptTokenIds()));
            text(g, "action", s.action());
            g.writeFieldName("tokens");
            g.writeBinary(ints(s.actionTokenIds()));
            g.writeFieldName("logp");
            g.writeBinary(floats(s.actionLogProbs()));
            writeDouble(g, "reward", s.reward());
            g.writeBooleanField("done", s.done());
            if (!s.info().isEmpty()) {
                g.writeObjectFieldStart("info");
                for (var e : s.info().entrySet()) {
                    text(g, checked(e.getKey(), "info"), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void text(JsonGenerator g, String name, String value) throws IOException {
        g.writeStringField(name, checked(value, name));
    }

    // UTF-8 cannot carry a lone surrogate: refuse it here rather than let it turn into '?' on the way.
    private static String checked(String value, String field) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException("field \"" + field + "\" is not valid Unicode: lone surrogate"
                            + " U+" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at index " + i);
                }
            }
        }
        return value;
    }

    private static void writeDouble(JsonGenerator g, String name, double value) throws IOException {
        if (Double.isFinite(value)) {
            g.writeNumberField(name, value);
        } else {
            g.writeStringField(name, Double.toString(value));
        }
    }

    private static Trajectory readTrajectory(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new TrajectoryFormatException("Cannot decode trajectory: expected a JSON object");
        }
        if (p.nextToken() != JsonToken.FIELD_NAME || !"v".equals(p.currentName())) {
            throw new TrajectoryFormatException("Cannot decode trajectory: the first field must be \"v\", the format"
                    + " version (is this a densify trajectory?)");
        }
        if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new TrajectoryFormatException("Cannot decode trajectory: field \"v\" must be an integer");
        }
        long version = p.getLongValue();
        if (version != VERSION) {
            throw new TrajectoryFormatException("Cannot decode trajectory: format version " + version
                    + " is not supported; this densify reads version " + VERSION
                    + " only (it was written by a different densify release)");
        }
        Fields f = new Fields("trajectory");
        String id = null;
        String task = null;
        String group = null;
        String finalObs = null;
        String finalKey = null;
        long seed = 0;
        long policy = 0;
        boolean terminated = false;
        Outcome outcome = null;
        List<Step> steps = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = f.next(p.currentName());
            p.nextToken();
            switch (name) {
                case "id" -> id = string(p, f, name);
                case "task" -> task = string(p, f, name);
                case "group" -> group = string(p, f, name);
                case "seed" -> seed = integer(p, f, name);
                case "policy" -> policy = integer(p, f, name);
                case "outcome" -> outcome = readOutcome(p);
                case "terminated" -> terminated = bool(p, f, name);
                case "final_obs" -> finalObs = string(p, f, name);
                case "final_key" -> finalKey = string(p, f, name);
                case "steps" -> steps = readSteps(p);
                default -> throw f.unknown(name);
            }
        }
        f.requireAll("id", "task", "group", "seed", "policy", "outcome", "terminated", "final_obs", "final_key",
                "steps");
        return new Trajectory(id, task, group, seed, policy, steps, finalObs, finalKey, outcome, terminated);
    }

    private static Outcome readOutcome(JsonParser p) throws IOException {
        Fields f = new Fields("outcome");
        f.expectObject(p);
        double reward = 0;
        boolean success = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = f.next(p.currentName());
            p.nextToken();
            switch (name) {
                case "reward" -> reward = number(p, f, name);
                case "success" -> success = bool(p, f, name);
                default -> throw f.unknown(name);
            }
        }
        f.requireAll("reward", "success");
        return new Outcome(reward, success);
    }

    private static List<Step> readSteps(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new TrajectoryFormatException("Cannot decode trajectory: field \"steps\" must be an array");
        }
        List<Step> steps = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            steps.add(readStep(p, steps.size()));
        }
        return steps;
    }

    private static Step readStep(JsonParser p, int index) throws IOException {
        Fields f = new Fields("step " + index);
        f.expectObject(p);
        String obs = null;
        String key = null;
        String render = null;
        String action = null;
        int[] prompt = null;
        int[] tokens = null;
        float[] logp = null;
        double reward = 0;
        boolean done = false;
        Map<String, String> info = Map.of();
        String anchor = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = f.next(p.currentName());
            p.nextToken();
            switch (name) {
                case "obs" -> obs = string(p, f, name);
                case "key" -> key = string(p, f, name);
                case "anchor" -> anchor = string(p, f, name);
                case "render" -> render = string(p, f, name);
                case "prompt" -> prompt = toInts(binary(p, f, name), f, name);
                case "action" -> action = string(p, f, name);
                case "tokens" -> tokens = toInts(binary(p, f, name), f, name);
                case "logp" -> logp = toFloats(binary(p, f, name), f, name);
                case "reward" -> reward = number(p, f, name);
                case "done" -> done = bool(p, f, name);
                case "info" -> info = readInfo(p, f);
                default -> throw f.unknown(name);
            }
        }
        f.requireAll("obs", "key", "render", "prompt", "action", "tokens", "logp", "reward", "done");
        return new Step(obs, key, render, prompt, action, tokens, logp, reward, done, info, anchor == null ? key : anchor);
    }

    private static Map<String, String> readInfo(JsonParser p, Fields parent) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw parent.wrongType("info", "an object of strings");
        }
        Map<String, String> info = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw parent.wrongType("info." + key, "a string");
            }
            info.put(key, p.getText());
        }
        return info;
    }

    private static String string(JsonParser p, Fields f, String name) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw f.wrongType(name, "a string");
        }
        return p.getText();
    }

    private static long integer(JsonParser p, Fields f, String name) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw f.wrongType(name, "an integer");
        }
        return p.getLongValue();
    }

    private static boolean bool(JsonParser p, Fields f, String name) {
        return switch (p.currentToken()) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            default -> throw f.wrongType(name, "true or false");
        };
    }

    private static double number(JsonParser p, Fields f, String name) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (token == JsonToken.VALUE_STRING) {
            switch (p.getText()) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default: break;
            }
        }
        throw f.wrongType(name, "a number (or \"NaN\", \"Infinity\", \"-Infinity\")");
    }

    private static byte[] binary(JsonParser p, Fields f, String name) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw f.wrongType(name, "a base64 string");
        }
        try {
            return p.getBinaryValue();
        } catch (JsonProcessingException e) {
            throw new TrajectoryFormatException("Cannot decode trajectory: field \"" + name + "\" of " + f.where
                    + " is not valid base64 (" + e.getOriginalMessage() + ")", e);
        }
    }

    private static byte[] ints(int[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asIntBuffer().put(values);
        return buffer.array();
    }

    private static byte[] floats(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    private static int[] toInts(byte[] bytes, Fields f, String name) {
        requireMultipleOf4(bytes, f, name);
        int[] values = new int[bytes.length / Integer.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(values);
        return values;
    }

    private static float[] toFloats(byte[] bytes, Fields f, String name) {
        requireMultipleOf4(bytes, f, name);
        float[] values = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    private static void requireMultipleOf4(byte[] bytes, Fields f, String name) {
        if (bytes.length % 4 != 0) {
            throw new TrajectoryFormatException("Cannot decode trajectory: field \"" + name + "\" of " + f.where
                    + " holds " + bytes.length + " bytes, not a whole number of 4-byte values");
        }
    }

    private static int estimateSize(Trajectory t) {
        long chars = 256L + t.finalObservation().length() + t.finalStateKey().length();
        for (Step s : t.steps()) {
            chars += 160L + s.observation().length() + s.stateKey().length() + s.rendered().length()
                    + s.action().length() + 6L * (s.promptTokenIds().length + 2L * s.actionTokenIds().length);
        }
        return (int) Math.min(chars, 1 << 24);
    }

    private static String message(Exception e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }

    /** Tracks the fields of one JSON object, for messages that name the object and the field. */
    private static final class Fields {
        private final String where;
        private final java.util.Set<String> seen = new java.util.HashSet<>();

        Fields(String where) {
            this.where = where;
        }

        void expectObject(JsonParser p) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new TrajectoryFormatException("Cannot decode trajectory: " + where + " must be a JSON object");
            }
        }

        String next(String name) {
            seen.add(name);
            return name;
        }

        void requireAll(String... names) {
            for (String name : names) {
                if (!seen.contains(name)) {
                    throw new TrajectoryFormatException("Cannot decode trajectory (format v" + VERSION
                            + "): field \"" + name + "\" is missing from " + where);
                }
            }
        }

        TrajectoryFormatException unknown(String name) {
            return new TrajectoryFormatException("Cannot decode trajectory (format v" + VERSION + "): unknown field \""
                    + name + "\" in " + where);
        }

        TrajectoryFormatException wrongType(String name, String expected) {
            return new TrajectoryFormatException("Cannot decode trajectory (format v" + VERSION + "): field \""
                    + name + "\" of " + where + " must be " + expected);
        }
    }
}
