package dev.densify.reward.shapers;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a plugin's flat defaults file from the classpath the way the engine finds it, without a YAML library. */
final class FlatYaml {
    private FlatYaml() {}

    static Map<String, String> read(String resource) {
        InputStream in = FlatYaml.class.getClassLoader().getResourceAsStream(resource);
        assertNotNull(in, "missing defaults file " + resource);
        Map<String, String> values = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String content = line.replaceFirst("(^|\\s)#.*$", "").trim();
                if (content.isEmpty() || content.equals("{}")) {
                    continue;
                }
                int colon = content.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException(resource + ": not a flat 'key: value' line: " + line);
                }
                values.put(content.substring(0, colon).trim(), content.substring(colon + 1).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }
}
