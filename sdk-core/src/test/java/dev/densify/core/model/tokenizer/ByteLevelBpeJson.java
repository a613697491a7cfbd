package dev.densify.core.model.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a small GPT-2 style tokenizer.json: byte-level BPE over the 256 byte symbols plus a few merges, with
 * {@code <s>} (id 0) and {@code </s>} (id 1) as special added tokens. Byte-level BPE round-trips any text.
 */
public final class ByteLevelBpeJson {
    private ByteLevelBpeJson() {}

    /** GPT-2's reversible map from bytes to printable characters. */
    public static List<String> byteSymbols() {
        List<Integer> printable = new ArrayList<>();
        for (int b = '!'; b <= '~'; b++) {
            printable.add(b);
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable.add(b);
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable.add(b);
        }
        String[] symbols = new String[256];
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            symbols[b] = printable.contains(b) ? String.valueOf((char) b) : String.valueOf((char) (256 + extra++));
        }
        return List.of(symbols);
    }

    /** The JSON text; merges are pairs of existing symbols, each adding its concatenation to the vocabulary. */
    public static String json(List<String> merges) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode().put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        addSpecial(added, 0, "<s>");
        addSpecial(added, 1, "</s>");
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode model = root.putObject("model").put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("fuse_unk", false).put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        vocab.put("<s>", 0);
        vocab.put("</s>", 1);
        int id = 2;
        for (String symbol : byteSymbols()) {
            vocab.put(symbol, id++);
        }
        ArrayNode mergeList = model.putArray("merges");
        for (String merge : merges) {
            mergeList.add(merge);
            vocab.put(merge.replace(" ", ""), id++);
        }
        return root.toString();
    }

    private static void addSpecial(ArrayNode added, int id, String content) {
        added.addObject().put("id", id).put("content", content).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", true);
    }
}
