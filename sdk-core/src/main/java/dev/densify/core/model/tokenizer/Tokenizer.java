package dev.densify.core.model.tokenizer;

import dev.densify.api.API;

/** Text to token ids and back. Decoding the ids of an encoding gives the text back. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface Tokenizer {
    int vocabSize();

    /** Beginning-of-sequence id. */
    int bos();

    /** End-of-sequence id; generation stops on it. */
    int eos();

    /** Token ids of the text, preceded by {@link #bos()} when asked. */
    int[] encode(String text, boolean addBos);

    /** The text of the ids; special tokens (BOS, EOS) decode to nothing. */
    String decode(int[] ids);
}
