package dev.densify.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.densify.api.config.ConfigException;
import dev.densify.core.plugin.FixtureJars;
import dev.densify.core.plugin.PluginRegistry;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Composition over the acme fixture jar: five plugins with option files, and a test primary file. */
class ConfigComposerTest {
    private static URLClassLoader loader;
    private static ConfigComposer composer;

    @TempDir
    Path tmp;

    @BeforeAll
    static void discoverFixturePlugins() {
        loader = FixtureJars.loader(FixtureJars.jar("acme"));
        composer = new ConfigComposer(PluginRegistry.discover(loader), "META-INF/densify/test-primary.yaml");
    }

    @AfterAll
    static void close() throws IOException {
        loader.close();
    }

    private static ComposedConfig compose(String... overrides) {
        return composer.compose(ConfigRequest.of(overrides));
    }

    private Path file(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(tmp, "user", ".yaml"), yaml);
    }

    private static List<String> problems(ConfigRequest request) {
        ConfigValidationException e = assertThrows(ConfigValidationException.class, () -> composer.compose(request));
        List<String> lines = e.getMessage().lines().toList();
        assertEquals(e.problems().stream().map(ConfigException::getMessage).toList(), lines);
        return lines;
    }

    @Nested
    @DisplayName("composition")
    class Composition {
        @Test
        @DisplayName("option defaults, then the primary file's values")
        void optionDefaultsThenPrimary() {
            ComposedConfig config = compose();
            assertEquals(List.of("env", "policy", "critic", "shaper", "normalizer", "algo", "buffer", "trainer"),
                    config.groups());
            assertEquals("counter", config.selected("env"));
            assertEquals(5, config.group("env").getInt("size", -1));
            assertEquals(10, config.group("env").child("limits").getInt("high", -1));
            assertEquals(3, config.group("trainer").getInt("iterations", -1), "primary overrides the option file");
            assertEquals(composer.compose(ConfigRequest.of().onlyGroups("trainer")).group("trainer")
                    .getInt("episodes_per_iteration", -1), config.group("trainer").getInt("episodes_per_iteration", -2),
                    "keys the primary leaves alone keep the option file's value");
            assertEquals("", config.topLevel().getString("notes", null));
        }

        @Test
        @DisplayName("then the --config file, then overrides left to right")
        void fileThenOverrides() throws IOException {
            Path user = file("""
                    env:
                      size: 7
                      label: from-file
                    trainer:
                      iterations: 4
                    notes: file notes
                    """);
            ComposedConfig config = composer.compose(ConfigRequest.of("env.size=9", "env.limits.high=20",
                    "env.size=11").withConfigFile(user));
            assertEquals(11, config.group("env").getInt("size", -1));
            assertEquals("from-file", config.group("env").getString("label", null));
            assertEquals(20, config.group("env").child("limits").getInt("high", -1));
            assertEquals(0, config.group("env").child("limits").getInt("low", -1), "nested keys merge");
            assertEquals(4, config.group("trainer").getInt("iterations", -1));
            assertEquals("file notes", config.topLevel().getString("notes", null));
        }

        @Test
        @DisplayName("GROUP=OPTION selects an option, and overrides beat the file's defaults")
        void selections() throws IOException {
            Path user = file("defaults:\n  buffer: redis\nbuffer:\n  namespace: runs\n");
            ComposedConfig fromFile = composer.compose(ConfigRequest.of().withConfigFile(user));
            assertEquals("redis", fromFile.selected("buffer"));
            assertEquals("runs", fromFile.group("buffer").getString("namespace", ""), "the file beats the option");
            assertEquals("redis://127.0.0.1:6379", fromFile.group("buffer").getString("url", ""),
                    "keys the file leaves alone keep the option's defaults");

            ComposedConfig overridden = composer.compose(ConfigRequest.of("buffer=acme-queue", "buffer.depth=5")
                    .withConfigFile(file("defaults:\n  buffer: redis\n")));
            assertEquals("acme-queue", overridden.selected("buffer"));
            assertEquals(Map.of("depth", 5), overridden.group("buffer").asMap());
        }

        @Test
        @DisplayName("values take their default's type when they can stand for it")
        void conversions() {
            ComposedConfig config = compose("policy.temperature=1", "policy.checkpoint=123", "env.weights=[1, 2.5]",
                    "trainer.max_failure_fraction=1e-3", "env.label=true", "policy.top_p='0.5'");
            assertEquals(1.0, config.group("policy").asMap().get("temperature"));
            assertEquals("123", config.group("policy").asMap().get("checkpoint"));
            assertEquals(List.of(1.0, 2.5), config.group("env").asMap().get("weights"));
            assertEquals(0.001, config.group("trainer").asMap().get("max_failure_fraction"));
            assertEquals("true", config.group("env").asMap().get("label"));
            assertEquals(0.5, config.group("policy").asMap().get("top_p"));
        }

        @Test
        @DisplayName("a command can compose only the groups it needs")
        void onlyGroups() {
            ComposedConfig config = composer.compose(ConfigRequest.of("env.size=4", "critic=absent", "critic.x=1")
                    .onlyGroups("env"));
            assertEquals(List.of("env"), config.groups());
            assertEquals(4, config.group("env").getInt("size", -1));
            assertThrows(IllegalArgumentException.class, () -> config.group("critic"));
            assertEquals(List.of("bogus: unknown group; groups are [env, policy, critic, shaper, normalizer, algo, "
                    + "buffer, trainer] and other top-level keys are [notes]"),
                    problems(ConfigRequest.of("bogus=1").onlyGroups("env")));
        }

        @Test
        @DisplayName("options of every group are listed from folders and jars")
        void optionListing() {
            assertEquals(List.of("acme-queue", "memory", "redis"), List.copyOf(composer.options("buffer")));
            assertEquals(List.of("counter"), List.copyOf(composer.options("env")));
        }
    }

    @Nested
    @DisplayName("validation")
    class Validation {
        @Test
        @DisplayName("every problem is reported at once, one line each, with its full path")
        void everyProblemAtOnce() {
            List<String> lines = problems(ConfigRequest.of(
                    "env.sise=3", "env.limits.hgh=1", "trainer.iterations=many", "env.weights=[1, x]",
                    "critic=nope", "policy=huge", "bogus.x=1", "shaper.factor=-1", "justtext", "trainer.seed={a: 1}",
                    "env.label=[a, b]", "algo.gamma=", "defaults.env=counter"));
            assertEquals(List.of(
                    "bogus: unknown group; groups are [env, policy, critic, shaper, normalizer, algo, buffer, trainer]"
                            + " and other top-level keys are [notes]",
                    "justtext: not an override; use GROUP=OPTION (e.g. env=gridworld) or GROUP.KEY=VALUE "
                            + "(e.g. trainer.iterations=50)",
                    "defaults.env: select options with GROUP=OPTION, e.g. env=gridworld",
                    "env.label: expected a string, got a list",
                    "env.weights[1]: expected a double, got 'x' (string)",
                    "env.limits.hgh: unknown key; allowed keys are [low, high]",
                    "env.sise: unknown key; allowed keys are [size, label, weights, limits]",
                    "policy: unknown option 'huge'; known options are [tiny]",
                    "critic: unknown option 'nope'; known options are [constant]",
                    "algo.gamma: expected a double, got '' (string)",
                    "trainer.seed: expected an int, got a map",
                    "trainer.iterations: expected an int, got 'many' (string)",
                    "shaper: factor must be positive, got -1.0"), lines);
        }

        @Test
        @DisplayName("range checks of the plugins themselves run before any work")
        void pluginRangeChecks() {
            assertEquals(List.of("env: size must be in [1, 100], got 0"), problems(ConfigRequest.of("env.size=0")));
            assertEquals(List.of("env.limits: low must not exceed high, got 5 > 1"),
                    problems(ConfigRequest.of("env.limits={low: 5, high: 1}")));
        }

        @Test
        @DisplayName("the --config file is checked like overrides")
        void configFileProblems() throws IOException {
            Path user = file("""
                    defaults:
                      env: counter
                      colour: blue
                    env: 3
                    trainer:
                      iteration: 4
                    sede: 1
                    """);
            assertEquals(List.of(
                    "defaults.colour: unknown group; groups are [env, policy, critic, shaper, normalizer, algo, buffer,"
                            + " trainer]",
                    "env: expected a map of the group's keys, got '3' (int)",
                    "trainer.iteration: unknown key; allowed keys are "
                            + composer.compose(ConfigRequest.of().onlyGroups("trainer")).group("trainer").keys(),
                    "sede: unknown group; groups are [env, policy, critic, shaper, normalizer, algo, buffer, trainer]"
                            + " and other top-level keys are [notes]"),
                    problems(ConfigRequest.of().withConfigFile(user)));
        }

        @Test
        @DisplayName("a missing or malformed --config file is one clear problem")
        void unreadableFiles() throws IOException {
            Path missing = tmp.resolve("missing.yaml");
            assertEquals(List.of(missing + ": no such configuration file"),
                    problems(ConfigRequest.of().withConfigFile(missing)));
            Path list = file("- a\n- b\n");
            assertEquals(List.of(list + ": must be a map of keys to values, got a list"),
                    problems(ConfigRequest.of().withConfigFile(list)));
            Path broken = file("env: [1, 2\n");
            List<String> lines = problems(ConfigRequest.of().withConfigFile(broken));
            assertEquals(1, lines.size());
            assertEquals(broken + ": is not valid YAML (line 1, column 11): while parsing a flow sequence; "
                    + "expected ',' or ']', but got <stream end>", lines.get(0));
            Path duplicate = file("env:\n  size: 1\n  size: 2\n");
            assertTrue(problems(ConfigRequest.of().withConfigFile(duplicate)).get(0).contains("Duplicate field 'size'"));
        }

        @Test
        @DisplayName("a YAML alias is refused, not read as the anchor's name")
        void aliasesAreRefused() throws IOException {
            Path aliased = file("notes: &agg hello\npolicy:\n  checkpoint: *agg\n");
            assertEquals(List.of(aliased + ": uses the YAML alias *agg (line 3, column 15); aliases are not supported:"
                    + " write the value out in full"), problems(ConfigRequest.of().withConfigFile(aliased)));
        }

        @Test
        @DisplayName("an alias bomb is refused at once")
        void billionLaughs() throws IOException {
            StringBuilder yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for (int i = 1; i < 10; i++) {
                yaml.append("a").append(i).append(": &a").append(i).append(" [");
                for (int j = 0; j < 9; j++) {
                    yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
                }
                yaml.append("]\n");
            }
            Path bomb = file(yaml.toString());
            List<String> lines = problems(ConfigRequest.of().withConfigFile(bomb));
            assertEquals(1, lines.size());
            assertTrue(lines.get(0).startsWith(bomb + ": uses the YAML alias *a0 (line 2,"), lines.get(0));
        }

        @Test
        @DisplayName("a file of random bytes is not YAML, said as such")
        void randomBytes() throws IOException {
            Path noise = Files.write(tmp.resolve("noise.yaml"), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, 0x00, 0x7F});
            assertEquals(List.of(noise + ": is not YAML: it is not UTF-8 text"),
                    problems(ConfigRequest.of().withConfigFile(noise)));
        }
    }

    @Nested
    @DisplayName("the written configuration")
    class Reproduction {
        @Test
        @DisplayName("composes to the same configuration, whatever the primary selects")
        void reproduces() throws IOException {
            ComposedConfig original = composer.compose(ConfigRequest.of("buffer=redis", "buffer.url=redis://h:1",
                    "env.label=yes", "env.weights=[]", "policy.checkpoint=007", "notes='a: b # c'")
                    .withConfigFile(file("env:\n  size: 8\n")));
            Path written = original.write(tmp.resolve("runs").resolve("r1"));
            assertEquals(tmp.resolve("runs/r1/config.yaml"), written);
            ComposedConfig again = composer.compose(ConfigRequest.of().withConfigFile(written));
            assertEquals(original, again);
            assertEquals(original.toYaml(), again.toYaml());
            assertEquals("redis", again.selected("buffer"));
            assertEquals("007", again.group("policy").getString("checkpoint", null));
            assertEquals("a: b # c", again.topLevel().getString("notes", null));
        }

        @Test
        @DisplayName("any text value and any valid number survive the round trip")
        void roundTripProperty() {
            qt().withExamples(30).forAll(strings().basicLatinAlphabet().ofLengthBetween(0, 24), integers().between(1, 100))
                    .checkAssert((label, size) -> {
                        try {
                            Map<String, Object> env = new LinkedHashMap<>();
                            env.put("label", label);
                            env.put("size", size);
                            Path user = file(YamlIo.write(Map.of("env", env)));
                            ComposedConfig original = composer.compose(ConfigRequest.of().withConfigFile(user));
                            assertEquals(label, original.group("env").getString("label", null));
                            Path written = original.write(Files.createTempDirectory(tmp, "run"));
                            assertEquals(original, composer.compose(ConfigRequest.of().withConfigFile(written)));
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    });
        }
    }
}
