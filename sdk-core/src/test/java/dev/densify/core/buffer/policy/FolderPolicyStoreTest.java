package dev.densify.core.buffer.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderPolicyStoreTest extends PolicyStoreContract {

    @TempDir
    Path root;
    private int stores;

    @Override
    PolicyStore newStore(int keep) {
        return new FolderPolicyStore(root.resolve("store-" + stores++), keep);
    }

    @Override
    void corrupt(PolicyStore store, PolicyVersion version) throws Exception {
        Path file = files(store).stream().filter(p -> p.getFileName().toString().contains(
                version.sha256().substring(0, 16))).findFirst().orElseThrow();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(10);
            int b = raf.read();
            raf.seek(10);
            raf.write(b ^ 0xFF);
        }
    }

    @Test
    @DisplayName("the folder holds the kept versions and latest.json, and no temporary files")
    void folderLayout() throws Exception {
        PolicyStore store = newStore(2);
        for (int v = 1; v <= 4; v++) {
            store.publish(v, new byte[] {(byte) v});
        }
        List<String> names = files(store).stream().map(p -> p.getFileName().toString()).sorted().toList();
        assertEquals(3, names.size(), names.toString());
        assertTrue(names.get(0).startsWith("latest.json"), names.toString());
        assertTrue(names.get(1).startsWith("policy-00000000000000000003-"), names.toString());
        assertTrue(names.get(2).startsWith("policy-00000000000000000004-"), names.toString());
        String latest = Files.readString(dir(store).resolve("latest.json"));
        assertTrue(latest.contains("\"version\":4") && latest.contains("\"file\":\"" + names.get(2) + "\""), latest);
    }

    private static Path dir(PolicyStore store) {
        return Path.of(store.toString().substring("policy folder ".length()));
    }

    private static List<Path> files(PolicyStore store) throws Exception {
        try (Stream<Path> s = Files.list(dir(store))) {
            return s.toList();
        }
    }
}
