package dev.densify.core.model.tokenizer;

import dev.densify.api.API;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.regex.Pattern;

/**
 * SentencePiece-style BPE over a scored vocabulary, encoding exactly as llama2.c's {@code encode}: optional BOS, a
 * dummy-prefix space, each character looked up as a piece or else spelled as byte-fallback tokens, then the
 * adjacent pair whose concatenation is the highest-scoring piece is merged (leftmost on ties) until none is left.
 * Unlike llama2.c, merges only ever produce normal or user-defined pieces, so text that happens to spell
 * {@code <0x41>} or a control symbol stays text and decoding always gives the input back. The merge loop uses a
 * priority queue, which picks the same pair as llama2.c's quadratic scan.
 *
 * <p>Pieces hold spaces as plain {@code ' '} (GGUF's {@code U+2581} is translated by its reader).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class SentencePieceBpeTokenizer implements Tokenizer {
    private static final Pattern BYTE_PIECE = Pattern.compile("<0x[0-9A-Fa-f]{2}>");
    /** llama2.c starts its best score at -1e10 with a strict comparison: pieces scored lower never merge. */
    private static final float MIN_MERGE_SCORE = -1e10f;
    private static final byte[] REPLACEMENT = "\uFFFD".getBytes(StandardCharsets.UTF_8);

    private final List<String> pieces;
    private final float[] scores;
    private final List<PieceType> types;
    private final int bos;
    private final int eos;
    private final int unk;
    private final boolean addDummyPrefix;
    private final Map<String, Integer> mergeable = new HashMap<>();
    private final int[] byteIds = new int[256];
    /** What each id decodes to: a byte piece's single byte, otherwise the piece's UTF-8. */
    private final byte[][] pieceBytes;

    /**
     * @param pieces the text of each id, spaces as {@code ' '}, byte fallbacks as {@code <0xNN>}
     * @param scores merge priority of each piece (higher merges first)
     * @param types the role of each piece
     * @param bos beginning-of-sequence id
     * @param eos end-of-sequence id
     * @param unk id used for bytes that have no fallback piece
     * @param addDummyPrefix whether encoding prepends a space to non-empty text (and decoding drops it)
     */
    public SentencePieceBpeTokenizer(List<String> pieces, float[] scores, List<PieceType> types, int bos, int eos,
                                     int unk, boolean addDummyPrefix) {
        this.pieces = List.copyOf(Objects.requireNonNull(pieces, "pieces"));
        this.scores = Objects.requireNonNull(scores, "scores").clone();
        this.types = List.copyOf(Objects.requireNonNull(types, "types"));
        int n = this.pieces.size();
        if (n == 0 || this.scores.length != n || this.types.size() != n) {
            throw new IllegalArgumentException("a vocabulary needs as many scores and types as pieces (at least one),"
                    + " got " + n + " pieces, " + this.scores.length + " scores, " + this.types.size() + " types");
        }
        this.bos = checkId("bos", bos, n);
        this.eos = checkId("eos", eos, n);
        this.unk = checkId("unk", unk, n);
        this.addDummyPrefix = addDummyPrefix;
        Arrays.fill(byteIds, -1);
        pieceBytes = new byte[n][];
        for (int id = 0; id < n; id++) {
            String piece = this.pieces.get(id);
            PieceType type = this.types.get(id);
            pieceBytes[id] = piece.getBytes(StandardCharsets.UTF_8);
            if (type == PieceType.BYTE) {
                if (!BYTE_PIECE.matcher(piece).matches()) {
                    throw new IllegalArgumentException("byte piece " + id + " must look like <0xNN>, got '"
                            + piece + "'");
                }
                int value = Integer.parseInt(piece.substring(3, 5), 16);
                pieceBytes[id] = new byte[] {(byte) value};
                if (byteIds[value] < 0) {
                    byteIds[value] = id;
                }
            } else if (type == PieceType.NORMAL || type == PieceType.USER_DEFINED) {
                mergeable.putIfAbsent(piece, id);
            }
        }
    }

    private static int checkId(String what, int id, int n) {
        if (id < 0 || id >= n) {
            throw new IllegalArgumentException(what + " id " + id + " is outside the vocabulary [0, " + n + ")");
        }
        return id;
    }

    /** The type llama2.c's vocabulary implies for id {@code id}: 0 unknown, 1-2 control, {@code <0xNN>} bytes. */
    public static PieceType llama2cType(int id, String piece) {
        if (id == 0) {
            return PieceType.UNKNOWN;
        }
        if (id == 1 || id == 2) {
            return PieceType.CONTROL;
        }
        return BYTE_PIECE.matcher(piece).matches() ? PieceType.BYTE : PieceType.NORMAL;
    }

    public List<String> pieces() {
        return pieces;
    }

    public float[] scores() {
        return scores.clone();
    }

    public List<PieceType> types() {
        return types;
    }

    public int unk() {
        return unk;
    }

    public boolean addDummyPrefix() {
        return addDummyPrefix;
    }

    @Override
    public int vocabSize() {
        return pieces.size();
    }

    @Override
    public int bos() {
        return bos;
    }

    @Override
    public int eos() {
        return eos;
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        Objects.requireNonNull(text, "text");
        List<Integer> symbols = new ArrayList<>(text.length() + 2);
        if (!text.isEmpty()) {
            if (addDummyPrefix) {
                appendCharacter(symbols, " ");
            }
            text.codePoints().forEach(cp -> appendCharacter(symbols, new String(Character.toChars(cp))));
        }
        int[] merged = merge(symbols);
        if (!addBos) {
            return merged;
        }
        int[] ids = new int[merged.length + 1];
        ids[0] = bos;
        System.arraycopy(merged, 0, ids, 1, merged.length);
        return ids;
    }

    private void appendCharacter(List<Integer> symbols, String character) {
        Integer id = mergeable.get(character);
        if (id != null) {
            symbols.add(id);
            return;
        }
        for (byte b : character.getBytes(StandardCharsets.UTF_8)) {
            int byteId = byteIds[b & 0xFF];
            symbols.add(byteId >= 0 ? byteId : unk);
        }
    }

    private record Candidate(float score, int left, int leftId, int rightId, int mergedId) {}

    private int[] merge(List<Integer> symbols) {
        int n = symbols.size();
        int[] ids = new int[n];
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = symbols.get(i);
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        PriorityQueue<Candidate> queue = new PriorityQueue<>((a, b) -> a.score != b.score
                ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        for (int i = 0; i + 1 < n; i++) {
            offer(queue, ids, i, i + 1);
        }
        int alive = n;
        while (!queue.isEmpty()) {
            Candidate c = queue.poll();
            int right = next[c.left];
            if (ids[c.left] != c.leftId || right < 0 || ids[right] != c.rightId) {
                continue;
            }
            ids[c.left] = c.mergedId;
            ids[right] = -1;
            next[c.left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = c.left;
            }
            alive--;
            if (prev[c.left] >= 0) {
                offer(queue, ids, prev[c.left], c.left);
            }
            if (next[c.left] >= 0) {
                offer(queue, ids, c.left, next[c.left]);
            }
        }
        int[] out = new int[alive];
        int k = 0;
        for (int i = n == 0 ? -1 : 0; i >= 0; i = next[i]) {
            out[k++] = ids[i];
        }
        return out;
    }

    private void offer(PriorityQueue<Candidate> queue, int[] ids, int left, int right) {
        Integer merged = mergeable.get(pieces.get(ids[left]) + pieces.get(ids[right]));
        if (merged != null && scores[merged] > MIN_MERGE_SCORE) {
            queue.add(new Candidate(scores[merged], left, ids[left], ids[right], merged));
        }
    }

    /**
     * Text of the ids read as one sequence from the start of a text: control and unused pieces decode to nothing,
     * byte pieces to their byte, the unknown piece to U+FFFD, and the dummy-prefix space of the first piece is
     * dropped (as SentencePiece does), so decoding a continuation on its own loses its leading space.
     */
    @Override
    public String decode(int[] ids) {
        Objects.requireNonNull(ids, "ids");
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        boolean atStart = addDummyPrefix;
        for (int id : ids) {
            if (id < 0 || id >= pieces.size()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, "
                        + pieces.size() + ")");
            }
            byte[] bytes = switch (types.get(id)) {
                case CONTROL, UNUSED -> null;
                case UNKNOWN -> REPLACEMENT;
                case BYTE, NORMAL, USER_DEFINED -> pieceBytes[id];
            };
            if (bytes == null || bytes.length == 0) {
                continue;
            }
            int from = atStart && bytes[0] == ' ' ? 1 : 0;
            atStart = false;
            out.write(bytes, from, bytes.length - from);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SentencePieceBpeTokenizer[" + pieces.size() + " pieces, bos=" + bos + ", eos=" + eos + "]";
    }
}
