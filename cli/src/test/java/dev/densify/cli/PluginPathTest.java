package dev.densify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginPathTest {
    @TempDir
    Path tmp;

    private Path file(String name) throws IOException {
        Files.createDirectories(tmp.resolve(name).getParent());
        return Files.writeString(tmp.resolve(name), "");
    }

    @Test
    void everyJarOfEveryFolderInPathOrder() throws IOException {
        Path b = file("one/b.jar");
        Path a = file("one/a.jar");
        file("one/notes.txt");
        Path c = file("two/c.jar");
        Path direct = file("three/direct.jar");
        String path = tmp.resolve("two") + File.pathSeparator + tmp.resolve("one") + File.pathSeparator
                + File.pathSeparator + direct;
        assertEquals(List.of(c, a, b, direct), PluginPath.jars(path, Map.of()));
    }

    @Test
    void theFlagWinsOverTheEnvironmentVariable() throws IOException {
        Path flag = file("flag/f.jar");
        Path env = file("env/e.jar");
        Map<String, String> environment = Map.of(PluginPath.ENVIRONMENT_VARIABLE, env.getParent().toString());
        assertEquals(List.of(flag), PluginPath.jars(flag.getParent().toString(), environment));
        assertEquals(List.of(env), PluginPath.jars(null, environment));
        assertEquals(List.of(), PluginPath.jars(null, Map.of()));
    }

    @Test
    void entriesThatAreNeitherFoldersNorJarsAreErrors() throws IOException {
        Path text = file("notes.txt");
        UserException e = assertThrows(UserException.class, () -> PluginPath.jars(text.toString(), Map.of()));
        assertEquals("--plugin-path: '" + text + "' is neither a folder nor a jar file", e.getMessage());
        assertEquals(2, e.exitCode());
    }

    @Test
    void jarsGetTheirOwnLoaderOverDensifys() throws IOException {
        ClassLoader parent = getClass().getClassLoader();
        assertSame(parent, PluginPath.loader(List.of(), parent));
        Path jar = file("p/x.jar");
        ClassLoader loader = PluginPath.loader(List.of(jar), parent);
        try (URLClassLoader urls = (URLClassLoader) loader) {
            assertSame(parent, urls.getParent());
            assertEquals(List.of(jar.toUri().toURL()), List.of(urls.getURLs()));
            assertTrue(urls.getName().contains("plugins"));
        }
    }
}
