package dev.densify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.plugin.PluginProvider;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third party's environment, compiled here against sdk-api alone and dropped into a plugin folder, is found and
 * playable by the packaged command line ({@code java -jar cli/target/densify.jar}) run as a separate process. It is
 * compiled against the 0.1 signatures of the types that changed since ({@code src/test/fixtures/sdk-api-0.1}:
 * {@code EnvironmentProvider} before it extended {@code PluginProvider}, {@code StepResult} before it named its
 * truncation), so that the jar is one built before those changes: it keeps working without a rebuild.
 */
class ThirdPartyEnvironmentIT {
    private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
    private static final Path DENSIFY_JAR = BASEDIR.resolve("target/densify.jar");

    @TempDir
    static Path pluginFolder;
    /** The corridor's compiled classes, as they went into its jar. */
    private static Path corridorClasses;

    private record Result(int exitCode, String out, String err) {}

    @BeforeAll
    static void buildTheThirdPartyJar() throws IOException {
        assertTrue(Files.isRegularFile(DENSIFY_JAR), DENSIFY_JAR + " is missing: integration tests run after package");
        Path source = BASEDIR.resolve("src/test/fixtures/corridor");
        Path oldApi = Files.createTempDirectory("sdk-api-0.1-classes");
        compile(BASEDIR.resolve("src/test/fixtures/sdk-api-0.1"), oldApi, List.of());
        Path classes = Files.createTempDirectory("corridor-classes");
        corridorClasses = classes;
        // The 0.1 signatures come first on the class path: javac takes a type from the first entry that has it.
        compile(source, classes, List.of(oldApi));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "2.0.1");
        Map<String, Path> entries = new TreeMap<>();
        for (Path root : List.of(classes, source)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> Files.isRegularFile(p) && !p.toString().endsWith(".java"))
                        .forEach(p -> entries.put(root.relativize(p).toString().replace('\\', '/'), p));
            }
        }
        try (JarOutputStream jar = new JarOutputStream(
                Files.newOutputStream(pluginFolder.resolve("corridor-env.jar")), manifest)) {
            for (Map.Entry<String, Path> entry : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(entry.getKey()));
                jar.write(Files.readAllBytes(entry.getValue()));
                jar.closeEntry();
            }
        }
    }

    /** Compiles the sources under {@code source} into {@code classes} against {@code before}, then sdk-api. */
    private static void compile(Path source, Path classes, List<Path> before) throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(source)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        String sdkApi;
        try {
            sdkApi = Path.of(EnvironmentProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            List<String> classPath = new ArrayList<>(before.stream().map(Path::toString).toList());
            classPath.add(sdkApi);
            boolean ok = javac.getTask(null, files, diagnostics, List.of("--release", "17", "-proc:none",
                    "-classpath", String.join(File.pathSeparator, classPath), "-d", classes.toString()),
                    null, files.getJavaFileObjectsFromPaths(sources)).call();
            assertTrue(ok, () -> "the fixture " + source.getFileName() + " does not compile: "
                    + diagnostics.getDiagnostics());
        }
    }

    private static Result densify(Map<String, String> environment, String input, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-jar", DENSIFY_JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("DENSIFY_PLUGIN_PATH");
        builder.environment().putAll(environment);
        Path out = Files.createTempFile("densify-out", ".txt");
        Path err = Files.createTempFile("densify-err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "densify " + String.join(" ", args) + " did not finish");
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Result withFlag(String input, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--plugin-path", pluginFolder.toString()));
        all.addAll(List.of(args));
        return densify(Map.of(), input, all.toArray(String[]::new));
    }

    private static void assertListed(Result result) {
        assertEquals(0, result.exitCode(), result.err());
        List<String> envSection = result.out().lines().dropWhile(l -> !l.equals("env")).skip(1)
                .takeWhile(l -> l.startsWith("  ")).toList();
        assertTrue(envSection.stream().anyMatch(l -> l.matches(
                "  corridor +Walk to the end of a corridor\\. +corridor-env\\.jar +2\\.0\\.1")), result.out());
    }

    @Test
    void theJarIsBuiltAgainstThe01Signatures() throws Exception {
        // Built against today's EnvironmentProvider, javac gives the provider its own bridge for the generic
        // PluginProvider.create; built against 0.1's there is none, and the interface's bridge serves it at run time.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {corridorClasses.toUri().toURL()},
                ThirdPartyEnvironmentIT.class.getClassLoader())) {
            Class<?> provider = loader.loadClass("dev.example.corridor.CorridorEnvironmentProvider");
            assertEquals(List.of(), Arrays.stream(provider.getDeclaredMethods()).filter(Method::isBridge)
                    .map(Method::toString).toList());
            EnvironmentProvider corridor = (EnvironmentProvider) provider.getConstructor().newInstance();
            PluginProvider<?> plugin = corridor;
            Object environment = plugin.create(PluginConfig.empty("env"));
            assertTrue(environment instanceof Environment, () -> "created " + environment);
            ((Environment) environment).close();
        }
    }

    @Test
    void pluginsListsTheJarOfThePluginPath() throws Exception {
        assertListed(withFlag("", "plugins"));
        String withoutIt = densify(Map.of(), "", "plugins").out();
        assertFalse(withoutIt.contains("corridor"), withoutIt);
    }

    @Test
    void envPlayReachesTheGoal() throws Exception {
        Result result = withFlag("right\n\nright\n", "env", "play", "env=corridor", "env.length=3");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().startsWith("env corridor, task walk-0, seed 0: Reach the end of the corridor.\n"
                + "A.G\nactions: left, right\n> reward 0.0, done false\n.AG\n"), result.out());
        assertTrue(result.out().endsWith("> reward 0.0, done true\n..A\n"
                + "episode over after 2 steps; outcome reward 1.0, success true\n"), result.out());
    }

    @Test
    void theEnvironmentVariableWorksLikeTheFlag() throws Exception {
        Map<String, String> environment = Map.of("DENSIFY_PLUGIN_PATH", "/nonexistent-is-fine-when-empty:" + pluginFolder);
        Result missing = densify(environment, "", "plugins");
        assertEquals(2, missing.exitCode());
        assertEquals("densify: DENSIFY_PLUGIN_PATH: '/nonexistent-is-fine-when-empty' is neither a folder nor a jar file\n",
                missing.err());

        Map<String, String> good = Map.of("DENSIFY_PLUGIN_PATH", pluginFolder.toString());
        assertListed(densify(good, "", "plugins"));
        Result played = densify(good, "jump\nleft\nright\nright\nright\n", "env", "play", "env=corridor",
                "--task", "walk-held-out", "--held-out");
        assertEquals(0, played.exitCode(), played.err());
        assertTrue(played.out().contains("rejected: unknown action 'jump'; use left or right\n"), played.out());
        assertTrue(played.out().endsWith("episode over after 4 steps; outcome reward 1.0, success true\n"), played.out());
    }

    @Test
    void quittingEndsTheEpisodeWithoutSuccess() throws Exception {
        Result result = withFlag("right\nquit\nright\n", "env", "play", "env=corridor");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().endsWith("stopped after 1 steps; outcome reward 0.0, success false\n"), result.out());
    }

    @Test
    void badConfigurationIsOneLinePerProblemWithoutAStackTrace() throws Exception {
        Result result = withFlag("", "env", "play", "env=corridor", "env.length=abc", "env.lenght=3");
        assertEquals(2, result.exitCode());
        assertEquals("densify: env.length: expected an int, got 'abc' (string)\n"
                + "densify: env.lenght: unknown key; allowed keys are [length, max_steps, tasks]\n", result.err());
        assertEquals("", result.out());

        Result outOfRange = withFlag("", "env", "play", "env=corridor", "env.length=1");
        assertEquals(2, outOfRange.exitCode());
        assertEquals("densify: env: length must be at least 2, got 1\n", outOfRange.err());

        Result unknown = withFlag("", "env", "play", "env=corridr");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().matches("densify: env: unknown option 'corridr'; known options are \\[[^]]*corridor[^]]*]\n"),
                unknown.err());
    }
}
