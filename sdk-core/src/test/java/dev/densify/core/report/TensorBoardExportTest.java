package dev.densify.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.util.Event;
import org.tensorflow.framework.Summary;

/** Parses what densify wrote with TensorFlow's own protobuf classes and checks every record's checksums. */
class TensorBoardExportTest {
    @Test
    void everyScalarMetricIsAnEventTensorFlowCanParse(@TempDir Path dir) throws Exception {
        Path file = TensorBoardExport.write(RunReportTest.runFolder(dir));
        assertTrue(file.getFileName().toString().contains("tfevents"));
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] length = new byte[8];
            in.get(length);
            assertEquals(TensorBoardExport.maskedCrc(length), in.getInt(), "length checksum");
            byte[] data = new byte[(int) ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong()];
            in.get(data);
            assertEquals(TensorBoardExport.maskedCrc(data), in.getInt(), "data checksum");
            events.add(Event.parseFrom(data));
        }
        assertEquals("brain.Event:2", events.get(0).getFileVersion());
        assertEquals(3, events.size(), "file version + two complete metrics lines");
        Map<String, Float> second = new HashMap<>();
        for (Summary.Value v : events.get(2).getSummary().getValueList()) {
            second.put(v.getTag(), v.getSimpleValue());
        }
        assertEquals(1, events.get(2).getStep());
        assertEquals(0.55f, second.get("heldout_success"));
        assertEquals(4.1f, second.get("time_collect_s"));
        assertEquals(2f, second.get("failures/timeout"));
        assertEquals(1f, second.get("alarm_value_without_success"));
        assertEquals(7f, second.get("brand_new_metric"));
        assertFalse(second.containsKey("iteration"));
        Map<String, Float> first = new HashMap<>();
        events.get(1).getSummary().getValueList().forEach(v -> first.put(v.getTag(), v.getSimpleValue()));
        assertFalse(first.containsKey("critic_heldout_ev"), "NaN is left out, not written as a value");
        assertTrue(events.get(2).getWallTime() > events.get(1).getWallTime());
    }

    @Test
    void maskedCrcMatchesTheKnownValue() {
        // CRC32C("123456789") = 0xE3069283, the standard check value
        int c = 0xE3069283;
        assertEquals(((c >>> 15) | (c << 17)) + 0xa282ead8,
                TensorBoardExport.maskedCrc("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }
}
