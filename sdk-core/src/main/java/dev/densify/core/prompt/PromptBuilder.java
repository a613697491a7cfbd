package dev.densify.core.prompt;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.model.io.ChatTemplate;
import dev.densify.core.model.tokenizer.Tokenizer;
import dev.densify.core.prompt.ChatTemplateRenderer.Message;
import dev.densify.core.prompt.ChatTemplateRenderer.Piece;
import dev.densify.core.prompt.ChatTemplateRenderer.Slot;
import dev.densify.core.prompt.ChatTemplateRenderer.Text;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the policy's prompt from the episode so far, as token ids, token in, token out: a prompt is a sequence of
 * spans, each tokenised on its own and never merged with its neighbours, and the span of an earlier action is the
 * ids the policy generated for it, never its text encoded again (decoding and re-encoding generated ids can give
 * other ids: invalid UTF-8 from a byte model comes back as U+FFFD, a BPE tokenizer merges differently; verl issue
 * 3960). An observation's span is a function of its text alone, so it is the same in every prompt that shows it.
 *
 * <p>The {@code plain} format (with {@code history = 0}, no system prompt and no instruction exactly densify 0.1's
 * prompt):
 * <pre>
 * BOS [system "\n"] [instruction "\n"] (observation "\nAction: " action-ids ["\n"])* observation "\nAction: "
 * </pre>
 * where {@code "\n"} follows an earlier action only when its generated text holds no newline (it stopped on EOS or
 * its token budget), so that every turn ends where the next begins.
 *
 * <p>The {@code chat} format renders the checkpoint's Jinja chat template (with jinjava) over the messages
 * [system], then per turn user = [instruction "\n\n"] observation and assistant = action, and the current user
 * message, with the generation prompt; the instruction opens the first user message the window keeps. Every
 * content is a slot marker while the template renders; the output is cut at the markers, the template's own text
 * between them is tokenised with the special tokens mapped to their ids (so {@code <|im_end|>} or {@code </s>} that
 * the template writes is one id), and each slot becomes its span: the system prompt, instruction and observations
 * encoded on their own (special-token texts inside them stay text, so an observation cannot inject a control
 * token), an earlier action its generated ids. When those ids end with EOS and the template's text after the action
 * contains the EOS text, the text up to and including it is left out: the generated EOS already ended the turn.
 * A bare {@code .jinja} template names no BOS and EOS texts: its {@code bos_token} and {@code eos_token} are the
 * tokenizer's own ids.
 * An assistant turn is trained to end with EOS ({@link #completion}), as instruct checkpoints end theirs, unless
 * the template itself ends assistant turns with a newline and no EOS (as the plain-chat template shipped for
 * checkpoints without one does): then with the newline generation stops at, and when a generated action ends with
 * it, the template's own newline after it is left out, as the EOS is.
 *
 * <p>The cut rule: the prompt holds at most the last {@code history} turns and must leave the action its token
 * budget ({@code room} = context length - max action tokens). While it is longer, the oldest turn is dropped whole;
 * a turn is never cut inside. If even the prompt without earlier turns (system prompt, instruction and current
 * observation) does not fit, building fails with a message naming the sizes.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class PromptBuilder {
    /** Generation stops here in both formats; the action is the text before it. */
    public static final String ACTION_END = "\n";
    /** What follows an observation in the plain format. */
    public static final String ACTION_CUE = "\nAction: ";
    /** What {@code bos_token} and {@code eos_token} render as when the template file names no texts for them. */
    static final String TOKENIZER_BOS = "\uE002";
    static final String TOKENIZER_EOS = "\uE003";

    private final PromptSettings settings;
    private final Tokenizer tokenizer;
    private final int contextLength;
    private final int maxActionTokens;
    private final ChatTemplateRenderer renderer;
    private final String bosText;
    private final String eosText;
    /** Special-token texts, longest first, so that a longer token wins over a shorter one it contains. */
    private final List<Map.Entry<String, Integer>> specials;
    /**
     * Whether an assistant turn ends with a newline rather than EOS: when the template writes a newline right after
     * an assistant message's content and no EOS before the next message.
     */
    private final boolean turnEndsWithNewline;

    private PromptBuilder(PromptSettings settings, Tokenizer tokenizer, Optional<ChatTemplate> template,
                          int contextLength, int maxActionTokens) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.contextLength = contextLength;
        this.maxActionTokens = maxActionTokens;
        if (contextLength - maxActionTokens < 1) {
            throw new ConfigException("policy.max_action_tokens", maxActionTokens + " leaves no room for a prompt in"
                    + " the model's context of " + contextLength + " tokens");
        }
        if (settings.chat()) {
            ChatTemplate chat = template.orElseThrow(() -> new ConfigException("policy.prompt.format",
                    "chat needs a chat template: policy.checkpoint names none that has one; give a "
                            + "tokenizer_config.json, .jinja or GGUF file in policy.prompt.template"));
            this.renderer = new ChatTemplateRenderer(chat);
            // A bare .jinja file names no texts for BOS and EOS: its bos_token and eos_token are then the
            // tokenizer's own, written as private-use markers that become their ids.
            this.bosText = chat.bosToken().orElse(TOKENIZER_BOS);
            this.eosText = chat.eosToken().orElse(TOKENIZER_EOS);
            Map<String, Integer> ids = new LinkedHashMap<>(chat.specialTokens());
            ids.putIfAbsent(bosText, tokenizer.bos());
            ids.putIfAbsent(eosText, tokenizer.eos());
            for (var e : ids.entrySet()) {
                if (e.getValue() < 0 || e.getValue() >= tokenizer.vocabSize()) {
                    throw new ConfigException("policy.prompt.template", "special token '" + e.getKey() + "' of "
                            + chat.origin() + " has id " + e.getValue() + ", outside the tokenizer's vocabulary [0, "
                            + tokenizer.vocabSize() + ")");
                }
            }
            List<Map.Entry<String, Integer>> sorted = new ArrayList<>(ids.entrySet());
            sorted.sort(Comparator.comparingInt((Map.Entry<String, Integer> e) -> e.getKey().length()).reversed());
            this.specials = List.copyOf(sorted);
            this.turnEndsWithNewline = endsTurnsWithNewline(renderer, bosText, eosText);
        } else {
            this.renderer = null;
            this.bosText = "";
            this.eosText = "";
            this.specials = List.of();
            this.turnEndsWithNewline = true;
        }
    }

    /**
     * A builder for {@code settings}.
     *
     * @param template the chat template; required by the chat format, ignored by the plain one
     * @param contextLength the model's context in tokens
     * @param maxActionTokens the token budget of an action, which every prompt leaves free
     */
    public static PromptBuilder create(PromptSettings settings, Tokenizer tokenizer, Optional<ChatTemplate> template,
                                       int contextLength, int maxActionTokens) {
        return new PromptBuilder(settings, tokenizer, Objects.requireNonNull(template, "template"), contextLength,
                maxActionTokens);
    }

    /** The plain format with the current observation only (densify 0.1's prompt). */
    public static PromptBuilder plain(Tokenizer tokenizer, int contextLength, int maxActionTokens) {
        return create(PromptSettings.defaults(), tokenizer, Optional.empty(), contextLength, maxActionTokens);
    }

    public PromptSettings settings() {
        return settings;
    }

    /** The prompt's token ids for the episode so far, cut by the rule above. */
    public int[] prompt(AgentContext context) {
        Objects.requireNonNull(context, "context");
        return build(instructionSpan(context.instruction()), context.turns(), context.observation());
    }

    /** The ids an expert's action is trained as: the action and its end (a newline, or EOS in the chat format). */
    public int[] completion(String action) {
        Objects.requireNonNull(action, "action");
        if (settings.chat() && !turnEndsWithNewline) {
            return concat(List.of(tokenizer.encode(action, false), new int[] {tokenizer.eos()}));
        }
        return tokenizer.encode(action + ACTION_END, false);
    }

    /**
     * The prompt the policy would be given at the trajectory's final state: its steps as the turns, the final
     * observation as the current one. The instruction's ids are taken from the first step's prompt (the part of it
     * that the rest of its layout leaves to the instruction), since a trajectory records its task's id, not the
     * instruction's text; with no steps there is no first prompt and the final prompt has no instruction.
     *
     * @throws IllegalArgumentException when the first step's prompt is not one this builder makes (a run's
     *     trajectories read with other {@code policy.prompt} settings)
     */
    public int[] finalPrompt(Trajectory trajectory) {
        Objects.requireNonNull(trajectory, "trajectory");
        List<Step> steps = trajectory.steps();
        List<Turn> turns = new ArrayList<>(steps.size());
        for (Step s : steps) {
            turns.add(new Turn(s.observation(), s.actionTokenIds()));
        }
        int[] instruction = steps.isEmpty() ? null : recoverInstruction(trajectory.id(), steps.get(0));
        return build(instruction, turns, trajectory.finalObservation());
    }

    private int[] recoverInstruction(String trajectoryId, Step first) {
        if (!settings.instruction()) {
            return null;
        }
        int[] prompt = first.promptTokenIds();
        if (Arrays.equals(prompt, concat(ids(layout(null, List.of(), first.observation()))))) {
            return null;
        }
        List<Span> spans = layout(new int[0], List.of(), first.observation());
        int at = -1;
        for (int i = 0; i < spans.size(); i++) {
            if (spans.get(i).instruction()) {
                if (at >= 0) {
                    throw new IllegalArgumentException("the chat template shows the instruction twice; the final"
                            + " state's prompt of trajectory " + trajectoryId + " cannot be rebuilt");
                }
                at = i;
            }
        }
        int[] before = at < 0 ? new int[0] : concat(ids(spans.subList(0, at)));
        int[] after = at < 0 ? new int[0] : concat(ids(spans.subList(at + 1, spans.size())));
        int length = prompt.length - before.length - after.length;
        if (at < 0 || length < 0 || !Arrays.equals(before, Arrays.copyOf(prompt, before.length))
                || !Arrays.equals(after, Arrays.copyOfRange(prompt, prompt.length - after.length, prompt.length))) {
            throw new IllegalArgumentException("the first prompt of trajectory " + trajectoryId + " is not one that"
                    + " policy.prompt " + settings + " builds; were its trajectories made with other settings?");
        }
        return Arrays.copyOfRange(prompt, before.length, before.length + length);
    }

    /** The instruction's own span, or null when the prompt shows none. */
    private int[] instructionSpan(String instruction) {
        if (!settings.instruction() || instruction.isEmpty()) {
            return null;
        }
        return tokenizer.encode(settings.chat() ? instruction : instruction + ACTION_END, false);
    }

    private int[] build(int[] instruction, List<Turn> turns, String observation) {
        int room = contextLength - maxActionTokens;
        int kept = Math.min(settings.history(), turns.size());
        while (true) {
            int[] ids = concat(ids(layout(instruction, turns.subList(turns.size() - kept, turns.size()), observation)));
            if (ids.length <= room) {
                return ids;
            }
            if (kept == 0) {
                throw new IllegalArgumentException("the prompt needs " + ids.length + " tokens even without earlier"
                        + " turns (system prompt, instruction and current observation), but the model's context of "
                        + contextLength + " tokens leaves " + room + " once policy.max_action_tokens=" + maxActionTokens
                        + " are kept for the action; shorten the observation or policy.prompt.system, lower "
                        + "policy.max_action_tokens, or use a model with a longer context");
            }
            kept--;
        }
    }

    /** A span of the prompt; the instruction's is marked, so that it can be found again. */
    private record Span(int[] ids, boolean instruction) {
        static Span of(int[] ids) {
            return new Span(ids, false);
        }
    }

    private List<Span> layout(int[] instruction, List<Turn> turns, String observation) {
        return settings.chat() ? chatLayout(instruction, turns, observation) : plainLayout(instruction, turns,
                observation);
    }

    private List<Span> plainLayout(int[] instruction, List<Turn> turns, String observation) {
        List<Span> spans = new ArrayList<>();
        spans.add(Span.of(new int[] {tokenizer.bos()}));
        if (!settings.system().isEmpty()) {
            spans.add(Span.of(tokenizer.encode(settings.system() + ACTION_END, false)));
        }
        if (instruction != null) {
            spans.add(new Span(instruction, true));
        }
        for (Turn turn : turns) {
            spans.add(Span.of(tokenizer.encode(turn.observation() + ACTION_CUE, false)));
            spans.add(Span.of(turn.actionTokenIds()));
            if (!tokenizer.decode(turn.actionTokenIds()).contains(ACTION_END)) {
                spans.add(Span.of(tokenizer.encode(ACTION_END, false)));
            }
        }
        spans.add(Span.of(tokenizer.encode(observation + ACTION_CUE, false)));
        return spans;
    }

    private List<Span> chatLayout(int[] instruction, List<Turn> turns, String observation) {
        List<Span> slots = new ArrayList<>();
        List<Integer> actionSlots = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        if (!settings.system().isEmpty()) {
            messages.add(new Message("system", slot(slots, Span.of(tokenizer.encode(settings.system(), false)))));
        }
        String opening = instruction == null ? "" : slot(slots, new Span(instruction, true)) + "\n\n";
        for (Turn turn : turns) {
            messages.add(new Message("user", opening + slot(slots, Span.of(tokenizer.encode(turn.observation(),
                    false)))));
            opening = "";
            actionSlots.add(slots.size());
            messages.add(new Message("assistant", slot(slots, Span.of(turn.actionTokenIds()))));
        }
        messages.add(new Message("user", opening + slot(slots, Span.of(tokenizer.encode(observation, false)))));
        List<Span> spans = new ArrayList<>();
        boolean afterEos = false;
        boolean afterNewline = false;
        for (Piece piece : renderer.render(messages, bosText, eosText)) {
            if (piece instanceof Slot s) {
                if (s.index() >= slots.size()) {
                    throw new IllegalArgumentException("the chat template wrote a slot marker of its own");
                }
                Span span = slots.get(s.index());
                spans.add(span);
                int[] ids = span.ids();
                afterEos = actionSlots.contains(s.index()) && ids.length > 0 && ids[ids.length - 1] == tokenizer.eos();
                afterNewline = actionSlots.contains(s.index()) && turnEndsWithNewline
                        && tokenizer.decode(ids).endsWith(ACTION_END);
            } else {
                String text = ((Text) piece).text();
                if (afterEos && !eosText.isEmpty() && text.contains(eosText)) {
                    text = text.substring(text.indexOf(eosText) + eosText.length());
                } else if (afterNewline && text.startsWith(ACTION_END)) {
                    text = text.substring(ACTION_END.length());
                }
                afterNewline = false;
                encodeTemplateText(text, spans);
                afterEos = false;
            }
        }
        return spans;
    }

    /** Renders a probe conversation to see what the template writes after an assistant message's content. */
    private static boolean endsTurnsWithNewline(ChatTemplateRenderer renderer, String bosText, String eosText) {
        List<Piece> pieces;
        try {
            pieces = renderer.render(List.of(new Message("user", ChatTemplateRenderer.marker(0)),
                    new Message("assistant", ChatTemplateRenderer.marker(1)),
                    new Message("user", ChatTemplateRenderer.marker(2))), bosText, eosText);
        } catch (IllegalArgumentException e) {
            // a template that refuses this conversation (one that wants a system prompt, say): EOS, as before
            return false;
        }
        for (int i = 0; i < pieces.size(); i++) {
            if (pieces.get(i) instanceof Slot slot && slot.index() == 1) {
                String after = i + 1 < pieces.size() && pieces.get(i + 1) instanceof Text text ? text.text() : "";
                return after.startsWith(ACTION_END) && (eosText.isEmpty() || !after.contains(eosText));
            }
        }
        return false;
    }

    private static String slot(List<Span> slots, Span span) {
        slots.add(span);
        return ChatTemplateRenderer.marker(slots.size() - 1);
    }

    /** The template's own text: special-token texts become their ids, the text between them is encoded. */
    private void encodeTemplateText(String text, List<Span> out) {
        int at = 0;
        while (at < text.length()) {
            int found = -1;
            Map.Entry<String, Integer> special = null;
            for (Map.Entry<String, Integer> e : specials) {
                int i = text.indexOf(e.getKey(), at);
                if (i >= 0 && (found < 0 || i < found)) {
                    found = i;
                    special = e;
                }
            }
            if (special == null) {
                out.add(Span.of(tokenizer.encode(text.substring(at), false)));
                return;
            }
            if (found > at) {
                out.add(Span.of(tokenizer.encode(text.substring(at, found), false)));
            }
            out.add(Span.of(new int[] {special.getValue()}));
            at = found + special.getKey().length();
        }
    }

    private static List<int[]> ids(List<Span> spans) {
        return spans.stream().map(Span::ids).toList();
    }

    private static int[] concat(List<int[]> parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
