package dev.densify.core.model;

import dev.densify.core.model.io.Llama2cFormat;
import dev.densify.core.model.io.TestModels;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** The real stories260K checkpoint and the C reference implementation's greedy outputs (see the model's README). */
final class Stories260kReference {
    /** The next token at positions 0..39 after BOS, greedy; the first four are forced by "Once upon a time". */
    static final int[] REFERENCE_NEXT = {403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317,
        426, 338, 401, 396, 267, 337, 410, 408, 419, 292, 411, 322, 265, 282, 295, 433, 426, 385, 328, 432, 358, 394,
        261, 370, 432, 352};
    /** Those 40 tokens as text. */
    static final String REFERENCE_TEXT = "Once upon a time, there was a little girl named Lily. She loved to"
            + " play outside in the park. One day, she saw a big, r";

    private Stories260kReference() {}

    /** The llama2.c checkpoint with its tokenizer; the caller closes it. */
    static LlamaModel load() throws IOException {
        Path dir = TestModels.stories260K();
        Tokenizer tokenizer = Llama2cFormat.readTokenizer(dir.resolve("tok512.bin"));
        return LlamaModel.fromWeights(Llama2cFormat.readCheckpoint(dir.resolve("stories260K.bin"),
                Optional.of(tokenizer)));
    }
}
