package dev.densify.rm.shaper;

import dev.densify.api.API;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The framing every learned shaper's checkpoint state shares: a magic number and a version before the shaper's own
 * body, nothing after it, and one wording for every way a state can be wrong.
 */
@API(status = API.Status.INTERNAL, since = "0.2")
public final class SavedState {
    private SavedState() {}

    /** Writes a state's body. */
    @FunctionalInterface
    @API(status = API.Status.INTERNAL, since = "0.2")
    public interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads a state's body back. */
    @FunctionalInterface
    @API(status = API.Status.INTERNAL, since = "0.2")
    public interface Reader {
        void read(DataInputStream in) throws IOException;
    }

    public static byte[] write(int magic, int version, Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            out.writeInt(version);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a state written by {@link #write} with the same magic number and version.
     *
     * @param what what saved it, as messages name it: "the implicit-prm shaper"
     * @throws IllegalArgumentException for another header, trailing bytes, or a truncated or corrupt body
     */
    public static void read(byte[] state, int magic, int version, String what, Reader reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            if (in.readInt() != magic || in.readInt() != version) {
                throw new IllegalArgumentException("not a saved state of " + what + " (version " + version + ")");
            }
            reader.read(in);
            if (in.read() != -1) {
                throw new IllegalArgumentException("the saved state of " + what + " has trailing bytes");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the saved state of " + what + " is truncated or corrupt", e);
        }
    }
}
