package dev.densify.core.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.densify.api.env.Outcome;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.model.io.ChatTemplate;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptBuilderTest {
    private static final ByteTokenizer BYTES = new ByteTokenizer();

    @TempDir
    Path folder;

    private static int[] bytes(String text) {
        return BYTES.encode(text, false);
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    /** Random generated ids: any bytes (often invalid UTF-8), sometimes ending in a newline or EOS. */
    private static int[] generated(SplittableRandom r) {
        int[] ids = new int[1 + r.nextInt(6)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ByteTokenizer.FIRST_BYTE + 0x80 + r.nextInt(0x80);
        }
        switch (r.nextInt(3)) {
            case 0 -> ids[ids.length - 1] = ByteTokenizer.FIRST_BYTE + '\n';
            case 1 -> ids[ids.length - 1] = ByteTokenizer.EOS;
            default -> { }
        }
        return ids;
    }

    private static List<Turn> turns(SplittableRandom r, int count) {
        List<Turn> turns = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            turns.add(new Turn("obs " + k + " " + "#".repeat(r.nextInt(12)), generated(r)));
        }
        return turns;
    }

    private PromptBuilder builder(String format, int history, String system, boolean instruction, int context,
                                  int maxAction) {
        Optional<ChatTemplate> template = format.equals("chat")
                ? Optional.of(ChatTemplates.write(folder, ChatTemplates.ZEPHYR)) : Optional.empty();
        return PromptBuilder.create(new PromptSettings(format, history, system, instruction, ""), BYTES, template,
                context, maxAction);
    }

    @Test
    void theDefaultPromptIsTheCurrentObservationExactlyAsBefore() {
        PromptBuilder plain = PromptBuilder.plain(BYTES, 512, 8);
        qt().withExamples(50).forAll(strings().allPossible().ofLengthBetween(0, 40)).checkAssert(observation -> {
            int[] before = BYTES.encode(observation + "\nAction: ", true);
            assertArrayEquals(before, plain.prompt(AgentContext.of(observation)));
            // history 0: earlier turns and the instruction are not shown
            assertArrayEquals(before, plain.prompt(new AgentContext("reach the door",
                    turns(new SplittableRandom(observation.hashCode()), 3), observation)));
            assertArrayEquals(BYTES.encode(observation + "\n", false), plain.completion(observation));
        });
    }

    @Test
    void thePlainLayoutShowsSystemInstructionAndTurnsWithTheirGeneratedIds() {
        PromptBuilder b = builder("plain", 2, "Be brief.", true, 512, 8);
        // a lone 0xFF byte is not UTF-8: its text re-encodes as U+FFFD's three bytes, the prompt keeps the byte
        int[] up = {ByteTokenizer.FIRST_BYTE + 0xFF, ByteTokenizer.FIRST_BYTE + '\n'};
        assertFalse(Arrays.equals(up, BYTES.encode(BYTES.decode(up), false)));
        int[] stoppedOnEos = {BYTES.encode("do", false)[0], BYTES.encode("do", false)[1], ByteTokenizer.EOS};
        int[] prompt = b.prompt(new AgentContext("Open the door.", List.of(new Turn("at 0", up),
                new Turn("at 1", stoppedOnEos)), "at 2"));
        assertArrayEquals(concat(new int[] {ByteTokenizer.BOS}, bytes("Be brief.\nOpen the door.\nat 0\nAction: "), up,
                bytes("at 1\nAction: "), stoppedOnEos, bytes("\n"), bytes("at 2\nAction: ")), prompt);
    }

    @Test
    void laterPromptsExtendEarlierOnesWithTheGeneratedIdsVerbatim() {
        qt().withExamples(40).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            String format = r.nextBoolean() ? "chat" : "plain";
            int steps = 1 + r.nextInt(5);
            PromptBuilder b = builder(format, steps, r.nextBoolean() ? "" : "sys", r.nextBoolean(), 4096, 8);
            List<Turn> all = turns(r, steps);
            for (int t = 0; t + 1 <= steps; t++) {
                int[] before = b.prompt(new AgentContext("goal", all.subList(0, t), all.get(t).observation()));
                int[] after = b.prompt(new AgentContext("goal", all.subList(0, t + 1),
                        t + 1 < steps ? all.get(t + 1).observation() : "last"));
                int[] action = all.get(t).actionTokenIds();
                int[] expected = concat(before, action);
                // the next prompt starts with this prompt and the generated ids as they were sampled
                assertArrayEquals(expected, Arrays.copyOf(after, expected.length), format + " turn " + t);
            }
        });
    }

    @Test
    void theOldestTurnsAreDroppedWholeUntilThePromptFits() {
        qt().withExamples(40).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            String format = r.nextBoolean() ? "chat" : "plain";
            int history = 1 + r.nextInt(6);
            int context = 90 + r.nextInt(120);
            List<Turn> turns = turns(r, r.nextInt(8));
            AgentContext episode = new AgentContext("goal", turns, "now");
            int[] prompt = builder(format, history, "", true, context, 8).prompt(episode);
            assertTrue(prompt.length <= context - 8, prompt.length + " tokens in a room of " + (context - 8));
            // the prompt is the one with the most recent turns that fit, no turn cut inside
            int shown = Math.min(history, turns.size());
            int[] widest = null;
            for (int k = shown; k >= 0 && widest == null; k--) {
                int[] candidate = builder(format, history, "", true, 1 << 20, 8)
                        .prompt(new AgentContext("goal", turns.subList(turns.size() - k, turns.size()), "now"));
                if (candidate.length <= context - 8) {
                    widest = candidate;
                }
            }
            assertArrayEquals(widest, prompt);
        });
    }

    @Test
    void aPromptWhoseCurrentObservationDoesNotFitFailsNamingTheSizes() {
        PromptBuilder b = builder("plain", 3, "", false, 64, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.prompt(AgentContext.of("x".repeat(100))));
        assertTrue(e.getMessage().contains("needs 110 tokens") && e.getMessage().contains("leaves 56")
                && e.getMessage().contains("policy.max_action_tokens=8"), e.getMessage());
    }

    @Test
    void theFinalStatesPromptIsTheOneTheNextTurnWouldHaveHad() {
        qt().withExamples(30).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            String format = r.nextBoolean() ? "chat" : "plain";
            PromptBuilder b = builder(format, r.nextInt(4), r.nextBoolean() ? "" : "sys", r.nextBoolean(), 160, 8);
            String instruction = r.nextBoolean() ? "" : "find the key " + r.nextInt(100);
            List<Turn> turns = turns(r, 1 + r.nextInt(5));
            List<Step> steps = new ArrayList<>();
            for (int t = 0; t < turns.size(); t++) {
                int[] prompt = b.prompt(new AgentContext(instruction, turns.subList(0, t), turns.get(t).observation()));
                steps.add(new Step(turns.get(t).observation(), "s" + t, "", prompt, "a", turns.get(t).actionTokenIds(),
                        new float[turns.get(t).actionTokenIds().length], 0, t + 1 == turns.size(), Map.of()));
            }
            Trajectory trajectory = new Trajectory("t", "task", "g", 0, 0, steps, "final", "sT",
                    new Outcome(1, true), true);
            assertArrayEquals(b.prompt(new AgentContext(instruction, turns, "final")), b.finalPrompt(trajectory));
        });
    }

    @Test
    void aFirstPromptMadeWithOtherSettingsIsNamedAsSuch() {
        PromptBuilder withInstruction = builder("plain", 1, "", true, 512, 8);
        Step foreign = new Step("o", "s", "", bytes("not a prompt"), "a", bytes("a\n"), new float[2], 0, true,
                Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withInstruction.finalPrompt(
                new Trajectory("t7", "task", "g", 0, 0, List.of(foreign), "f", "s", new Outcome(0, false), true)));
        assertTrue(e.getMessage().contains("trajectory t7") && e.getMessage().contains("other settings"),
                e.getMessage());
    }

    @Test
    void aChatTemplateIsRenderedWithItsSpecialTokensAroundTheIdSpans() {
        PromptBuilder b = builder("chat", 4, "Be brief.", true, 512, 8);
        int[] upEos = concat(bytes("up"), new int[] {ByteTokenizer.EOS});
        int[] prompt = b.prompt(new AgentContext("Open the door.", List.of(new Turn("at 0", upEos)), "at 1"));
        int bos = ByteTokenizer.BOS;
        int eos = ByteTokenizer.EOS;
        // the template's text "...</s>\n<|user|>..." after the action: its generated EOS ended the turn already
        assertArrayEquals(concat(new int[] {bos}, bytes("<|system|>\nBe brief."), new int[] {eos},
                bytes("\n<|user|>\nOpen the door.\n\nat 0"), new int[] {eos}, bytes("\n<|assistant|>\n"), upEos,
                bytes("\n<|user|>\nat 1"), new int[] {eos}, bytes("\n<|assistant|>\n")), prompt);
        // the same ids as tokenising the whole rendered conversation with BOS/EOS as special tokens
        String rendered = "<s><|system|>\nBe brief.</s>\n<|user|>\nOpen the door.\n\nat 0</s>\n<|assistant|>\nup</s>\n"
                + "<|user|>\nat 1</s>\n<|assistant|>\n";
        List<Integer> expected = new ArrayList<>();
        for (String piece : rendered.split("(?=<s>|</s>)|(?<=<s>|</s>)")) {
            if (piece.equals("<s>") || piece.equals("</s>")) {
                expected.add(piece.equals("<s>") ? bos : eos);
            } else {
                Arrays.stream(bytes(piece)).forEach(expected::add);
            }
        }
        assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), prompt);
        assertArrayEquals(upEos, b.completion("up"));
    }

    /**
     * The template shipped for checkpoints without one (docs/templates/plain-chat.jinja) is a bare .jinja file: its
     * bos_token is the tokenizer's BOS id. It ends assistant turns with a newline and no EOS, so actions are trained
     * to end with the newline generation stops at, and a generated newline is not followed by the template's own.
     */
    @Test
    void theShippedPlainChatTemplateOpensWithBosAndEndsTurnsWithTheNewlineGenerationStopsAt() throws Exception {
        Path file = Path.of(System.getProperty("user.dir")).resolve("../docs/templates/plain-chat.jinja").normalize();
        ChatTemplate template = ChatTemplate.read(file).orElseThrow();
        assertTrue(template.bosToken().isEmpty() && template.eosToken().isEmpty(), "a bare .jinja names no texts");
        PromptBuilder b = PromptBuilder.create(new PromptSettings("chat", 4, "Be brief.", false, file.toString()),
                BYTES, Optional.of(template), 512, 8);
        int[] upNewline = bytes("up\n");
        int[] cut = bytes("do");
        int[] prompt = b.prompt(new AgentContext("", List.of(new Turn("at 0", upNewline), new Turn("at 1", cut)),
                "at 2"));
        assertArrayEquals(concat(new int[] {ByteTokenizer.BOS}, bytes("Be brief.\nUser: at 0\nAgent: "), upNewline,
                bytes("User: at 1\nAgent: "), cut, bytes("\nUser: at 2\nAgent: ")), prompt);
        assertArrayEquals(upNewline, b.completion("up"));
        // a template that writes EOS after the content keeps ending turns with EOS
        PromptBuilder zephyr = builder("chat", 4, "", false, 512, 8);
        assertArrayEquals(concat(bytes("up"), new int[] {ByteTokenizer.EOS}), zephyr.completion("up"));
    }

    @Test
    void theLlama2TemplateFoldsTheSystemPromptIntoTheFirstTurn() {
        ChatTemplate llama2 = ChatTemplates.write(folder, ChatTemplates.LLAMA2);
        PromptBuilder b = PromptBuilder.create(new PromptSettings("chat", 2, "Be brief.", false, ""), BYTES,
                Optional.of(llama2), 512, 8);
        int[] upEos = concat(bytes("up"), new int[] {ByteTokenizer.EOS});
        int[] prompt = b.prompt(new AgentContext("", List.of(new Turn("at 0", upEos)), "at 1"));
        assertArrayEquals(concat(new int[] {ByteTokenizer.BOS}, bytes("[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nat 0 [/INST] "),
                upEos, new int[] {ByteTokenizer.BOS}, bytes("[INST] at 1 [/INST]")), prompt);
    }

    @Test
    void aTemplateThatRefusesOrCannotBeRenderedSaysWhy() {
        ChatTemplate noSystem = ChatTemplates.write(folder, "{% if messages[0]['role'] == 'system' %}"
                + "{{ raise_exception('System role not supported') }}{% endif %}{{ messages[0]['content'] }}");
        PromptBuilder refusing = PromptBuilder.create(new PromptSettings("chat", 0, "sys", false, ""), BYTES,
                Optional.of(noSystem), 512, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> refusing.prompt(AgentContext.of("o")));
        assertTrue(e.getMessage().contains("refuses the conversation: System role not supported"), e.getMessage());
        ChatTemplate python = ChatTemplates.write(folder, "{{ messages[0]['content'].startswith('x') }}");
        PromptBuilder pythonic = PromptBuilder.create(new PromptSettings("chat", 0, "", false, ""), BYTES,
                Optional.of(python), 512, 8);
        e = assertThrows(IllegalArgumentException.class, () -> pythonic.prompt(AgentContext.of("o")));
        assertTrue(e.getMessage().contains("startswith") && e.getMessage().contains("tokenizer_config.json"),
                e.getMessage());
    }

    @Test
    void badSettingsNameTheirKey() {
        assertTrue(assertThrows(RuntimeException.class, () -> new PromptSettings("xml", 0, "", false, ""))
                .getMessage().contains("plain, chat"));
        assertTrue(assertThrows(RuntimeException.class, () -> new PromptSettings("plain", -1, "", false, ""))
                .getMessage().contains("-1"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> PromptBuilder.create(
                new PromptSettings("chat", 0, "", false, ""), BYTES, Optional.empty(), 512, 8));
        assertTrue(e.getMessage().contains("policy.prompt.template"), e.getMessage());
    }
}
