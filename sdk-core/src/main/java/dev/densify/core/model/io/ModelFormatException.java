package dev.densify.core.model.io;

import dev.densify.api.API;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A checkpoint or tokenizer file that cannot be read as what it claims to be: bad magic, truncated data, a missing
 * or misshapen tensor, an unsupported data type. The message starts with the file and names the tensor or field and
 * what was expected.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ModelFormatException extends IOException {
    private final transient Path file;

    public ModelFormatException(Path file, String message) {
        super(Objects.requireNonNull(file, "file") + ": " + Objects.requireNonNull(message, "message"));
        this.file = file;
    }

    public ModelFormatException(Path file, String message, Throwable cause) {
        this(file, message);
        initCause(cause);
    }

    /** The file (or folder) that could not be read. */
    public Path file() {
        return file;
    }
}
