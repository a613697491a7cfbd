package dev.densify.env.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void readsWhatPythonsJsonModuleWrites() {
        assertEquals(Map.of("id", 3L, "result", Map.of("reward", Double.NaN, "done", true, "info", Map.of(),
                "text", "caf\u00e9 \"x\"\n", "list", List.of(1.5, -2L, Double.NEGATIVE_INFINITY))),
                Json.parse("{\"id\": 3, \"result\": {\"reward\": NaN, \"done\": true, \"info\": {}, "
                        + "\"text\": \"caf\\u00e9 \\\"x\\\"\\n\", \"list\": [1.5, -2, -Infinity]}}"));
    }

    @Test
    void writesAsciiOnly() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("a", "caf\u00e9\n\u0001");
        value.put("b", java.util.Arrays.asList(1L, 2.5, null, true));
        assertEquals("{\"a\":\"caf\\u00e9\\n\\u0001\",\"b\":[1,2.5,null,true]}", Json.write(value));
    }

    @Test
    void namesWhereTheTextGoesWrong() {
        assertEquals("expected '}' at character 9",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1 2}")).getMessage());
        assertEquals("unexpected text after the value at character 4",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x")).getMessage());
        assertEquals("key \"a\" appears twice at character 15",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1, \"a\": 2}")).getMessage());
    }

    @Test
    void whatIsWrittenReadsBackTheSame() {
        qt().withFixedSeed(11L).forAll(lists().of(strings().allPossible().ofLengthBetween(0, 12)).ofSizeBetween(0, 4),
                        longs().all(), doubles().any())
                .checkAssert((texts, integer, real) -> {
                    Map<String, Object> value = new LinkedHashMap<>();
                    value.put("texts", texts);
                    value.put("integer", integer);
                    if (Double.isFinite(real) && real != Math.rint(real)) {
                        value.put("real", real);
                    }
                    for (String text : texts) {
                        value.put("key " + text, text);
                    }
                    assertEquals(value, Json.parse(Json.write(value)));
                });
    }
}
