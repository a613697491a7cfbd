package dev.densify.core.report;

import dev.densify.api.API;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * TensorBoard event files of every scalar metric of a run, written without TensorFlow: each record is the
 * little-endian u64 length of the data, the masked CRC32C of those 8 bytes, the data (a hand-encoded
 * {@code tensorflow.Event} protobuf) and its masked CRC32C. The first event carries the file version; every
 * metrics line then becomes one event at {@code step = iteration} with one simple value per scalar (booleans
 * as 0/1, failures as {@code failures/<reason>}). {@code wandb sync} imports the same files.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class TensorBoardExport {
    /** The file name; TensorBoard finds event files by the {@code tfevents} in their names. */
    public static final String FILE_NAME = "events.out.tfevents.0.densify";
    public static final String FOLDER = "tensorboard";

    private TensorBoardExport() {}

    /** Rewrites {@code tensorboard/events.out.tfevents.0.densify} from the run's metrics and returns it. */
    public static Path write(Path runFolder) {
        Objects.requireNonNull(runFolder, "runFolder");
        RunMetrics metrics = RunMetrics.read(runFolder);
        double start = startSeconds(runFolder);
        Path folder = runFolder.resolve(FOLDER);
        Path file = folder.resolve(FILE_NAME);
        Path tmp = folder.resolve(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(folder);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                record(out, event(start, 0, fileVersion()));
                double[] iterations = metrics.iterations();
                Double[] seconds = metrics.column("seconds");
                double wall = start;
                Map<String, Double[]> columns = new LinkedHashMap<>();
                for (String key : metrics.scalarKeys()) {
                    if (!key.equals("iteration")) {
                        columns.put(key, metrics.column(key));
                    }
                }
                for (String reason : metrics.mapKeys("failures")) {
                    columns.put("failures/" + reason, metrics.mapColumn("failures", reason));
                }
                for (int i = 0; i < iterations.length; i++) {
                    wall += seconds[i] != null ? seconds[i] : 0;
                    ByteArrayOutputStream summary = new ByteArrayOutputStream();
                    for (var e : columns.entrySet()) {
                        Double v = e.getValue()[i];
                        if (v != null) {
                            bytesField(summary, 1, value(e.getKey(), v.floatValue()));
                        }
                    }
                    ByteArrayOutputStream event = new ByteArrayOutputStream();
                    header(event, wall, (long) iterations[i]);
                    bytesField(event, 5, summary.toByteArray());
                    record(out, event.toByteArray());
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** When the run started, as well as the folder can tell: its config.yaml is written first. */
    private static double startSeconds(Path runFolder) {
        try {
            Path config = runFolder.resolve("config.yaml");
            if (Files.exists(config)) {
                return Files.readAttributes(config, BasicFileAttributes.class).lastModifiedTime().toMillis() / 1000.0;
            }
        } catch (IOException e) {
            // fall through: the time is cosmetic
        }
        return System.currentTimeMillis() / 1000.0;
    }

    private static byte[] fileVersion() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        bytesField(out, 3, "brain.Event:2".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] event(double wallTime, long step, byte[] what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        header(out, wallTime, step);
        out.writeBytes(what);
        return out.toByteArray();
    }

    /** Event.wall_time (1, double) and Event.step (2, int64). */
    private static void header(ByteArrayOutputStream out, double wallTime, long step) {
        out.write(1 << 3 | 1);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(wallTime).array());
        out.write(2 << 3);
        varint(out, step);
    }

    /** Summary.Value: tag (1, string), simple_value (2, float). */
    private static byte[] value(String tag, float v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        bytesField(out, 1, tag.getBytes(StandardCharsets.UTF_8));
        out.write(2 << 3 | 5);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array());
        return out.toByteArray();
    }

    private static void bytesField(ByteArrayOutputStream out, int field, byte[] bytes) {
        out.write(field << 3 | 2);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static void record(OutputStream out, byte[] data) throws IOException {
        byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
        out.write(length);
        out.write(int32(maskedCrc(length)));
        out.write(data);
        out.write(int32(maskedCrc(data)));
    }

    static int maskedCrc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + 0xa282ead8;
    }

    private static byte[] int32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
