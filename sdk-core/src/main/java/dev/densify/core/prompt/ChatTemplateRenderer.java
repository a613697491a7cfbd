package dev.densify.core.prompt;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.densify.core.model.io.ChatTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a chat template with jinjava the way Hugging Face's {@code apply_chat_template} does (trim_blocks and
 * lstrip_blocks on, {@code {{-}} whitespace control, {@code raise_exception}, {@code bos_token}/{@code eos_token},
 * {@code add_generation_prompt}), over messages whose contents are slot markers. The output is the template's own
 * text cut at the markers: the contents never pass through the template as text, so their ids stay as they are.
 * Markers are private-use characters, which no template's {@code trim} or {@code strip} removes.
 */
final class ChatTemplateRenderer {
    private static final char OPEN = '\uE000';
    private static final char CLOSE = '\uE001';
    private static final Pattern MARKER = Pattern.compile(OPEN + "(\\d+)" + CLOSE);

    /** A piece of rendered output: the template's own text, or a slot whose content is a span of ids. */
    sealed interface Piece permits Text, Slot {}

    record Text(String text) implements Piece {}

    record Slot(int index) implements Piece {}

    /** A message of the conversation: its role and its content, slot markers among plain text. */
    record Message(String role, String content) {}

    private final ChatTemplate template;
    private final Jinjava jinjava;

    ChatTemplateRenderer(ChatTemplate template) {
        this.template = template;
        LegacyOverrides jinja2 = LegacyOverrides.newBuilder().withUseTrimmingForNotesAndExpressions(true)
                .withParseWhitespaceControlStrictly(true).withUseNaturalOperatorPrecedence(true)
                .withKeepNullableLoopValues(true).build();
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true)
                .withLegacyOverrides(jinja2).build());
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplateRenderer.class, "raise", String.class));
    }

    static String marker(int slot) {
        return OPEN + Integer.toString(slot) + CLOSE;
    }

    /** What the template's {@code raise_exception} calls: the template refuses the conversation. */
    public static String raise(String message) {
        throw new Refused(message);
    }

    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    List<Piece> render(List<Message> messages, String bosToken, String eosToken) {
        List<Map<String, Object>> plain = new ArrayList<>();
        for (Message m : messages) {
            plain.add(Map.of("role", m.role(), "content", m.content()));
        }
        Map<String, Object> context = new HashMap<>();
        context.put("messages", plain);
        context.put("add_generation_prompt", true);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        RenderResult result = jinjava.renderForResult(template.source(), context);
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() != TemplateError.ErrorType.FATAL) {
                continue;
            }
            for (Throwable t = error.getException(); t != null; t = t.getCause()) {
                if (t instanceof Refused refused) {
                    throw new IllegalArgumentException("the chat template of " + template.origin()
                            + " refuses the conversation: " + refused.getMessage());
                }
            }
            throw new IllegalArgumentException("jinjava cannot render the chat template of " + template.origin()
                    + ": " + error.getMessage() + " (templates may use Jinja, not Python string methods such as"
                    + " startswith or lower())");
        }
        List<Piece> pieces = new ArrayList<>();
        String out = result.getOutput();
        Matcher m = MARKER.matcher(out);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                pieces.add(new Text(out.substring(at, m.start())));
            }
            pieces.add(new Slot(Integer.parseInt(m.group(1))));
            at = m.end();
        }
        if (at < out.length()) {
            pieces.add(new Text(out.substring(at)));
        }
        return pieces;
    }
}
