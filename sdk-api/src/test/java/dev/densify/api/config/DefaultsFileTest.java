package dev.densify.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultsFileTest {
    enum Mode { FAST, CAREFUL }

    /** A nested record's defaults are its part of the enclosing record's file. */
    record Inner(int depth, List<String> tags) {
        static Inner defaults() {
            return Sample.defaults().inner();
        }
    }

    record Sample(int maxSteps, double rate, String name, String label, Mode mode, List<Integer> sizes,
                  String required, Inner inner) {
        Sample {
            Ranges.requireBetween("max_steps", maxSteps, 0, 100);
        }

        static Sample defaults() {
            return PluginConfig.defaultsOf(Sample.class, "test", "full");
        }
    }

    record NoKeys() {}

    private static final Sample FULL = new Sample(12, 0.5, "it's # not a comment", "don't", Mode.CAREFUL,
            List.of(4, 5), "", new Inner(3, List.of("a b", "c")));

    @Test
    void theRecordIsBoundFromItsFileWithEveryValue() {
        assertEquals(FULL, Sample.defaults());
        assertEquals(new NoKeys(), PluginConfig.defaultsOf(NoKeys.class, "test", "none"));
    }

    @Test
    void bindingAnEmptyOrPartialNodeTakesTheFilesValues() {
        assertEquals(FULL, PluginConfig.empty("algo").bind(Sample.class));
        Sample partial = PluginConfig.of("algo", Map.of("rate", "0.25", "inner", Map.of("depth", 4))).bind(Sample.class);
        assertEquals(new Sample(12, 0.25, FULL.name(), FULL.label(), Mode.CAREFUL, List.of(4, 5), "",
                new Inner(4, List.of("a b", "c"))), partial);
    }

    @Test
    void aFileThatLacksAKeyOrHasAnUnknownOneFailsNamingTheFileAndTheKey() {
        IllegalStateException lacks = assertThrows(IllegalStateException.class,
                () -> PluginConfig.defaultsOf(Sample.class, "test", "lacks-rate"));
        assertTrue(lacks.getMessage().contains("META-INF/densify/test/lacks-rate.yaml"), lacks.getMessage());
        assertTrue(lacks.getMessage().contains("test.rate: missing required key"), lacks.getMessage());
        IllegalStateException extra = assertThrows(IllegalStateException.class,
                () -> PluginConfig.defaultsOf(Sample.class, "test", "extra-key"));
        assertTrue(extra.getMessage().contains("test.inner.width: unknown key"), extra.getMessage());
    }

    @Test
    void aBlockOfTheFileBindsAtItsPathAndAMissingBlockFailsNamingTheFile() {
        assertEquals(FULL.inner(), PluginConfig.defaultsOf(Inner.class, "test", "full", "inner"));
        IllegalStateException scalar = assertThrows(IllegalStateException.class,
                () -> PluginConfig.defaultsOf(Inner.class, "test", "full", "rate"));
        assertTrue(scalar.getMessage().contains("META-INF/densify/test/full.yaml does not bind"), scalar.getMessage());
        assertTrue(scalar.getMessage().contains("test.rate: is not a group of keys"), scalar.getMessage());
        IllegalStateException absent = assertThrows(IllegalStateException.class,
                () -> PluginConfig.defaultsOf(Inner.class, "test", "full", "inner.deeper"));
        assertTrue(absent.getMessage().contains("test.inner.deeper: is not a group of keys"), absent.getMessage());
    }

    @Test
    void aValueTheRecordRejectsOrAMissingFileFails() {
        IllegalStateException range = assertThrows(IllegalStateException.class,
                () -> PluginConfig.defaultsOf(Sample.class, "test", "out-of-range"));
        assertTrue(range.getMessage().contains("test.max_steps: must be in [0, 100], got -1"), range.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> PluginConfig.defaultsOf(Sample.class, "test", "absent"));
        assertTrue(missing.getMessage().contains("META-INF/densify/test/absent.yaml"), missing.getMessage());
    }

    @Test
    void yamlBeyondTheSubsetIsRejectedNamingTheLine() {
        Map<String, String> outside = Map.of(
                "a: 1\n\tb: 2\n", "line 2 indents with a tab",
                "a:\n  - 1\n", "line 2 is not a 'key: value' line",
                "a: &x 1\n", "line 1 uses YAML beyond",
                "a: [1, [2]]\n", "line 1 nests a collection",
                "a: 1\na: 2\n", "line 2 repeats the key 'a'",
                "a: \"open\n", "line 1 has an unclosed quote",
                "a:\n  b: 1\n c: 2\n", "line 3 is indented by 1 spaces; expected 0",
                "a:1\n", "line 1 needs a space after the colon of key 'a'");
        outside.forEach((text, problem) -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> DefaultsFile.parse("f.yaml", text));
            assertTrue(e.getMessage().startsWith("f.yaml " + problem), () -> text + " gave " + e.getMessage());
        });
    }

    @Test
    void whatIsWrittenInTheSubsetReadsBackAsItsText() {
        // text without control characters, quoted as YAML does it; keys in order, with nested groups
        qt().forAll(lists().of(strings().basicLatinAlphabet().ofLengthBetween(0, 12)).ofSizeBetween(0, 6),
                integers().between(0, 2)).checkAssert((texts, style) -> {
            StringBuilder yaml = new StringBuilder("# generated\ngroup:\n");
            Map<String, Object> expected = new LinkedHashMap<>();
            for (int i = 0; i < texts.size(); i++) {
                String text = texts.get(i);
                String written = switch (style) {
                    case 0 -> "'" + text.replace("'", "''") + "'";
                    case 1 -> "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
                    default -> "[" + quotedList(text) + "]";
                };
                yaml.append("  key_").append(i).append(": ").append(written).append("  # note\n");
                expected.put("key_" + i, style == 2 ? List.of(text) : text);
            }
            Map<String, Object> read = DefaultsFile.parse("generated.yaml", yaml.toString());
            assertEquals(texts.isEmpty() ? Map.of("group", "") : Map.of("group", expected), read, yaml::toString);
        });
    }

    private static String quotedList(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
