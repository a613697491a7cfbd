package dev.densify.core.model.tokenizer;

import dev.densify.api.API;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Byte-level tokenizer for models trained from scratch: every UTF-8 byte is one token, so any text round-trips and
 * no vocabulary file is needed. Ids: {@value #PAD} padding, {@value #BOS} BOS, {@value #EOS} EOS, then bytes
 * 0x00..0xFF as ids {@value #FIRST_BYTE}..258, the same layout as the byte fallbacks of llama2.c's vocabulary.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ByteTokenizer implements Tokenizer {
    public static final int PAD = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    public static final int FIRST_BYTE = 3;
    public static final int VOCAB_SIZE = FIRST_BYTE + 256;

    @Override
    public int vocabSize() {
        return VOCAB_SIZE;
    }

    @Override
    public int bos() {
        return BOS;
    }

    @Override
    public int eos() {
        return EOS;
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        byte[] bytes = Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8);
        int offset = addBos ? 1 : 0;
        int[] ids = new int[bytes.length + offset];
        if (addBos) {
            ids[0] = BOS;
        }
        for (int i = 0; i < bytes.length; i++) {
            ids[i + offset] = FIRST_BYTE + (bytes[i] & 0xFF);
        }
        return ids;
    }

    /** Special ids decode to nothing; byte sequences that are not valid UTF-8 decode to U+FFFD. */
    @Override
    public String decode(int[] ids) {
        Objects.requireNonNull(ids, "ids");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= VOCAB_SIZE) {
                throw new IllegalArgumentException("token id " + id + " is outside the byte vocabulary [0, "
                        + VOCAB_SIZE + ")");
            }
            if (id >= FIRST_BYTE) {
                bytes.write(id - FIRST_BYTE);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteTokenizer;
    }

    @Override
    public int hashCode() {
        return ByteTokenizer.class.hashCode();
    }

    @Override
    public String toString() {
        return "ByteTokenizer[" + VOCAB_SIZE + " ids]";
    }
}
