package dev.densify.algo.ppo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the flat {@code key: value} defaults files that plugin jars ship; enough for their tests. */
final class FlatYaml {

    private FlatYaml() {}

    static Map<String, Object> read(String resource) throws IOException {
        try (InputStream in = FlatYaml.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int colon = trimmed.indexOf(':');
                values.put(trimmed.substring(0, colon).strip(), trimmed.substring(colon + 1).strip());
            }
            return values;
        }
    }
}
