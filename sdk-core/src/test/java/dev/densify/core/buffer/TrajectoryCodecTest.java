package dev.densify.core.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.densify.api.env.Outcome;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TrajectoryCodecTest {

    @Test
    @DisplayName("any trajectory survives encode and decode unchanged, as one line of valid UTF-8")
    void roundTripIsLossless() {
        qt().withExamples(500).forAll(TrajectoryGen.trajectories()).checkAssert(t -> {
            byte[] json = TrajectoryCodec.encode(t);
            assertEquals(t, TrajectoryCodec.decode(json));
            assertEquals(t, TrajectoryCodec.fromJson(TrajectoryCodec.toJson(t)));
            assertFalse(TrajectoryCodec.toJson(t).contains("\n"), "one trajectory, one line");
            assertArrayEquals(json, new String(json, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
        });
    }

    @Test
    @DisplayName("log-probs round-trip bit for bit, negative zero and NaN payloads included")
    void floatsAreBitExact() {
        float[] logp = {-0.0f, Float.intBitsToFloat(0x7fc00001), Float.MIN_VALUE, -Float.MAX_VALUE};
        Trajectory t = withStep(new Step("o", "k", "r", new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, "a",
                new int[] {1, 2, 3, 4}, logp, -0.0, true, Map.of()));
        Step back = TrajectoryCodec.decode(TrajectoryCodec.encode(t)).steps().get(0);
        for (int i = 0; i < logp.length; i++) {
            assertEquals(Float.floatToRawIntBits(logp[i]), Float.floatToRawIntBits(back.actionLogProbs()[i]));
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back.reward()));
    }

    @Test
    @DisplayName("the documented layout: v first, arrays as base64 of little-endian 32-bit values")
    void readsTheDocumentedFormat() {
        String line = "{\"v\":1,\"id\":\"t1\",\"task\":\"maze\",\"group\":\"g\",\"seed\":3,\"policy\":5,"
                + "\"outcome\":{\"reward\":1.0,\"success\":true},\"terminated\":true,\"final_obs\":\"done\","
                + "\"final_key\":\"goal\",\"steps\":[{\"obs\":\"start\",\"key\":\"s0\",\"render\":\"#A#\","
                + "\"prompt\":\"AQAAAAIAAAA=\",\"action\":\"left\",\"tokens\":\"BwAAAA==\",\"logp\":\"AACAvw==\","
                + "\"reward\":\"NaN\",\"done\":true,\"info\":{\"why\":\"wall\"}}]}";
        Trajectory t = TrajectoryCodec.fromJson(line);
        Step s = t.steps().get(0);
        assertArrayEquals(new int[] {1, 2}, s.promptTokenIds());
        assertArrayEquals(new int[] {7}, s.actionTokenIds());
        assertArrayEquals(new float[] {-1.0f}, s.actionLogProbs());
        assertTrue(Double.isNaN(s.reward()));
        assertEquals(Map.of("why", "wall"), s.info());
        assertEquals(5, t.policyVersion());
        assertEquals(line, TrajectoryCodec.toJson(t), "the writer produces exactly the documented layout");
    }

    @Test
    @DisplayName("an unknown format version fails with a message naming both versions")
    void rejectsOtherVersions() {
        String line = TrajectoryCodec.toJson(TrajectoryGen.gridworld("t", 0, 1)).replaceFirst("\"v\":1", "\"v\":2");
        var e = assertThrows(TrajectoryFormatException.class, () -> TrajectoryCodec.fromJson(line));
        assertTrue(e.getMessage().contains("format version 2 is not supported"), e.getMessage());
        assertTrue(e.getMessage().contains("reads version 1"), e.getMessage());
    }

    @Test
    @DisplayName("missing, unknown and mistyped fields are named in the error")
    void namesTheBadField() {
        String good = TrajectoryCodec.toJson(TrajectoryGen.gridworld("t", 0, 2));
        assertMessage(good.replace(",\"seed\":7", ""), "field \"seed\" is missing from trajectory");
        assertMessage(good.replace("\"seed\":7", "\"seed\":7,\"colour\":\"red\""), "unknown field \"colour\"");
        assertMessage(good.replace("\"done\":true", "\"done\":\"yes\""), "field \"done\" of step 1 must be true or false");
        assertMessage(good.replaceFirst("\"tokens\":\"[^\"]+\"", "\"tokens\":\"AAA=\""),
                "holds 2 bytes, not a whole number of 4-byte values");
        assertMessage("{\"id\":\"x\",\"v\":1}", "the first field must be \"v\"");
        assertMessage("[1,2]", "expected a JSON object");
        assertMessage("{\"v\":1,", "Cannot decode trajectory");
        assertMessage(good + "{}", "unexpected content after the object");
    }

    @Test
    @DisplayName("text that is not valid Unicode is refused at encoding, not silently mangled")
    void refusesLoneSurrogates() {
        Trajectory t = withStep(new Step("bad \uD800 text", "k", "r", new int[0], "a", new int[0], new float[0], 0,
                false, Map.of()));
        var e = assertThrows(IllegalArgumentException.class, () -> TrajectoryCodec.encode(t));
        assertTrue(e.getMessage().contains("not valid Unicode"), e.getMessage());
    }

    private static void assertMessage(String json, String expected) {
        var e = assertThrows(TrajectoryFormatException.class, () -> TrajectoryCodec.fromJson(json));
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }

    private static Trajectory withStep(Step step) {
        return new Trajectory("id", "task", "group", 1, 2, List.of(step), "end", "k", new Outcome(0, false), false);
    }
}
