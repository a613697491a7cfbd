package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.buffer.TrajectoryCodec;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Sampled trajectories in a run folder: gzip'd JSON lines in the buffer's versioned encoding. */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class TrajectoryFiles {
    private TrajectoryFiles() {}

    public static void write(Path file, List<Trajectory> trajectories) {
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8))) {
            for (Trajectory t : trajectories) {
                out.write(TrajectoryCodec.toJson(t));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static List<Trajectory> read(Path file) {
        List<Trajectory> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    out.add(TrajectoryCodec.fromJson(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }
}
