package dev.densify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code densify} launcher script, run in a copy of the repository's layout whose build tool and JVM are
 * stand-in scripts that record being called: the launcher must rebuild when a source or pom is newer than the jar,
 * and say so on standard error.
 */
class LauncherTest {
    @TempDir
    Path root;
    private Path jar;
    private final Instant built = Instant.now().minusSeconds(3600);

    private record Run(int exitCode, String out, String err) {}

    @BeforeEach
    void layout() throws IOException {
        Path script = Path.of(System.getProperty("basedir", ".")).resolve("../densify").normalize();
        Files.copy(script, root.resolve("densify"));
        executable(root.resolve("densify"));
        Files.writeString(root.resolve("mvnw"), "#!/usr/bin/env bash\necho \"$@\" >> \"$(dirname \"$0\")/builds\"\n");
        executable(root.resolve("mvnw"));
        Path java = Files.createDirectories(root.resolve("jdk/bin")).resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\necho \"java $*\"\n");
        executable(java);
        Files.createDirectories(root.resolve("cli/target/lib"));
        jar = Files.writeString(root.resolve("cli/target/densify.jar"), "jar");
        for (Path source : List.of(root.resolve("pom.xml"), root.resolve("sdk-core/pom.xml"),
                root.resolve("sdk-core/src/main/java/Trainer.java"), root.resolve("sdk-core/src/test/java/TrainerTest.java"))) {
            Files.createDirectories(source.getParent());
            Files.writeString(source, "source");
            Files.setLastModifiedTime(source, FileTime.from(built.minusSeconds(60)));
        }
        Files.setLastModifiedTime(jar, FileTime.from(built));
    }

    @Test
    void anUpToDateJarRunsWithoutABuild() throws Exception {
        Run run = densify();
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
        assertTrue(run.out().startsWith("java ") && run.out().contains("-jar " + jar + " --version"), run.out());
        assertFalse(Files.exists(root.resolve("builds")));
    }

    @Test
    void aSourceNewerThanTheJarRebuildsOnceAndSaysSo() throws Exception {
        Files.setLastModifiedTime(root.resolve("sdk-core/src/main/java/Trainer.java"), FileTime.from(built.plusSeconds(60)));
        Run run = densify();
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("densify: sdk-core/src/main/java/Trainer.java is newer than cli/target/densify.jar; rebuilding"
                + " with ./mvnw ...\n", run.err());
        assertEquals(1, builds());
        assertEquals("", densify().err(), "the next start finds the jar current");
        assertEquals(1, builds());
    }

    @Test
    void aNewerPomRebuildsButATestSourceDoesNot() throws Exception {
        Files.setLastModifiedTime(root.resolve("sdk-core/src/test/java/TrainerTest.java"),
                FileTime.from(built.plusSeconds(60)));
        assertEquals("", densify().err());
        Files.setLastModifiedTime(root.resolve("sdk-core/pom.xml"), FileTime.from(built.plusSeconds(60)));
        assertTrue(densify().err().startsWith("densify: sdk-core/pom.xml is newer than cli/target/densify.jar"));
        assertEquals(1, builds());
    }

    private long builds() throws IOException {
        Path builds = root.resolve("builds");
        return Files.exists(builds) ? Files.readAllLines(builds, StandardCharsets.UTF_8).size() : 0;
    }

    private Run densify() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("densify").toString(), "--version");
        builder.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        builder.environment().remove("DENSIFY_JAVA_OPTS");
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the launcher timed out");
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
