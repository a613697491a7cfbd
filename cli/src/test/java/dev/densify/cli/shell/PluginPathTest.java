package dev.densify.cli.shell;

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
import dev.densify.cli.Main;
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
    void aCorruptJarIsLeftOutWithAWarningNamingItAndTheReason() throws IOException {
        Path corrupt = Files.write(tmp.resolve("corrupt.jar"), new byte[] {'P', 'K', 3, 4, 42, 42, 42});
        Path good = tmp.resolve("good.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(good))) {
            out.putNextEntry(new java.util.jar.JarEntry("META-INF/densify/readme.txt"));
            out.write("fine".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        List<String> warnings = new java.util.ArrayList<>();
        assertEquals(List.of(good), PluginPath.readable(List.of(corrupt, good), warnings::add));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("plugin jar " + corrupt + " is ignored: it is not a readable jar ("),
                warnings.get(0));
    }

    @Test
    void theCommandLineWarnsAboutACorruptJarOnThePluginPath() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("plugins"));
        Path corrupt = Files.write(folder.resolve("broken-plugin.jar"), new byte[] {1, 2, 3});
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.run(new String[] {"--plugin-path", folder.toString(), "plugins"},
                new java.io.ByteArrayInputStream(new byte[0]), new java.io.PrintWriter(out),
                new java.io.PrintWriter(err), Map.of());
        assertEquals(0, code, err.toString());
        assertTrue(err.toString().startsWith("densify: warning: plugin jar " + corrupt + " is ignored: it is not a"
                + " readable jar ("), err.toString());
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
