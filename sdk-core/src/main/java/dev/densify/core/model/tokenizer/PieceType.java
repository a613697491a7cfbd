package dev.densify.core.model.tokenizer;

import dev.densify.api.API;

/** The role of a vocabulary piece, as SentencePiece and GGUF ({@code tokenizer.ggml.token_type}) classify it. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum PieceType {
    /** Ordinary text; takes part in merges. */
    NORMAL(1),
    /** The unknown-token placeholder. */
    UNKNOWN(2),
    /** Control symbols such as BOS and EOS; decode to nothing. */
    CONTROL(3),
    /** Text pieces added by the user; merged like normal ones. */
    USER_DEFINED(4),
    /** Reserved slots; never produced, decode to nothing. */
    UNUSED(5),
    /** Byte fallback {@code <0xNN>}: stands for one raw byte. */
    BYTE(6);

    private final int ggufCode;

    PieceType(int ggufCode) {
        this.ggufCode = ggufCode;
    }

    /** The number GGUF stores for this type. */
    public int ggufCode() {
        return ggufCode;
    }

    /** The type GGUF stores as {@code code}. */
    public static PieceType fromGgufCode(int code) {
        for (PieceType type : values()) {
            if (type.ggufCode == code) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown token type " + code + ", expected 1..6");
    }
}
