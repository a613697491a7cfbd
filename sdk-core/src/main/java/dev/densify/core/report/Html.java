package dev.densify.core.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.api.API;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Escaping for the three places untrusted text lands in our pages: element bodies, attributes and scripts. */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Html {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Html() {}

    /**
     * Text for an element body or a quoted attribute value. Control characters other than tab and line feed become
     * numeric references: a browser turns a literal carriage return into a line feed, a reference it keeps. NUL,
     * which no HTML document can hold, is shown as the control picture U+2400 (see {@link #shown}).
     */
    public static String text(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c == 0) {
                        out.append('\u2400');
                    } else if (c < 0x20 && c != '\t' && c != '\n') {
                        out.append("&#").append((int) c).append(';');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** The text a browser shows (as {@code textContent}) for {@code s} escaped with {@link #text}. */
    public static String shown(String s) {
        return s.replace('\0', '\u2400');
    }

    /** Text for a URL query parameter value (inside an attribute, escape the result with {@link #text} too). */
    public static String query(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * The value as JSON that is safe inside a {@code <script>} element: {@code <}, {@code >}, {@code &} and the
     * line separators U+2028/U+2029 become {@code \}{@code u} escapes, so no text can close the script.
     */
    public static String scriptJson(Object value) {
        String json;
        try {
            json = JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode as JSON: " + e.getMessage(), e);
        }
        StringBuilder out = new StringBuilder(json.length() + 16);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A resource of the class path as text, e.g. the plotting library from its WebJar. */
    static String resource(String name) {
        try (InputStream in = Html.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing class path resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read class path resource " + name, e);
        }
    }

    /** The uPlot library and style sheet, inlined into every report so that it opens without a network. */
    static final String UPLOT_JS = "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js";
    static final String UPLOT_CSS = "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css";

    /** Library code as a script body; a literal closing tag inside it (none today) would end the element early. */
    static String inlineScript(String code) {
        return code.replace("</script", "<\\/script");
    }
}
