package dev.densify.core.model.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the small JSON files of checkpoint folders, reporting a missing file or bad JSON by the file's name. */
final class JsonFiles {
    private JsonFiles() {}

    /** The JSON object in {@code file}. */
    static JsonNode read(Path file, ObjectReader reader) throws IOException {
        try {
            JsonNode node = reader.readTree(bytes(file));
            if (node == null || !node.isObject()) {
                throw new ModelFormatException(file, "expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    static byte[] bytes(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file, "no such file");
        }
        return Files.readAllBytes(file);
    }
}
