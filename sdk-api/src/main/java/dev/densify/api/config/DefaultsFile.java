package dev.densify.api.config;

import dev.densify.api.API;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a plugin's defaults file, {@code META-INF/densify/<group>/<name>.yaml}, without a YAML library (sdk-api
 * depends on {@code ai.djl:api} only). The files use a small block subset of YAML, and anything outside it is an
 * error naming the line: comments, {@code key: value} lines, nested groups of keys by indentation (spaces), a
 * single {@code {}} for a plugin without keys, and as values plain text, a quoted string, or a flow list
 * {@code [a, b]}. Scalars stay text: {@link PluginConfig#bind} converts them as it converts command-line
 * overrides. A key without a value reads as the empty text, so that a required key (one the user must set)
 * binds to an empty string or list, which the plugin then rejects with its own message.
 */
@API(status = API.Status.INTERNAL, since = "0.2")
final class DefaultsFile {
    private final String resource;
    private final List<Line> lines = new ArrayList<>();
    private int next;

    private record Line(int number, int indent, String content) {}

    private DefaultsFile(String resource, String text) {
        this.resource = resource;
        String[] raw = text.split("\r?\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String line = stripComment(raw[i], i + 1);
            if (line.isBlank()) {
                continue;
            }
            int indent = 0;
            while (line.charAt(indent) == ' ') {
                indent++;
            }
            if (line.charAt(indent) == '\t') {
                throw error(i + 1, "indents with a tab; indent with spaces");
            }
            lines.add(new Line(i + 1, indent, line.strip()));
        }
    }

    static String resource(String group, String name) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(name, "name");
        return "META-INF/densify/" + group + "/" + name + ".yaml";
    }

    /** The file of option {@code name} of {@code group} on {@code loader}'s class path, as a tree of text values. */
    static Map<String, Object> read(ClassLoader loader, String group, String name) {
        Objects.requireNonNull(loader, "loader");
        String resource = resource(group, name);
        URL url = loader.getResource(resource);
        if (url == null) {
            throw new IllegalStateException("no defaults file " + resource + " on the class path");
        }
        try (InputStream in = url.openStream()) {
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        }
    }

    /** The text of a defaults file as a tree; {@code resource} names it in errors. */
    static Map<String, Object> parse(String resource, String text) {
        DefaultsFile file = new DefaultsFile(resource, text);
        if (file.lines.size() == 1 && file.lines.get(0).content().equals("{}")) {
            return new LinkedHashMap<>();
        }
        if (!file.lines.isEmpty() && file.lines.get(0).indent() != 0) {
            throw file.error(file.lines.get(0).number(), "is indented, but no key above it opens a group");
        }
        return file.block(0);
    }

    /** The keys at {@code indent}, each with its value or, when the lines below are indented deeper, its group. */
    private Map<String, Object> block(int indent) {
        Map<String, Object> values = new LinkedHashMap<>();
        while (next < lines.size() && lines.get(next).indent() >= indent) {
            Line line = lines.get(next++);
            if (line.indent() != indent) {
                throw error(line.number(), "is indented by " + line.indent() + " spaces; expected " + indent);
            }
            int colon = line.content().indexOf(':');
            if (colon <= 0 || line.content().startsWith("-") || line.content().startsWith("\"")
                    || line.content().startsWith("'")) {
                throw error(line.number(), "is not a 'key: value' line");
            }
            String key = line.content().substring(0, colon).strip();
            String rest = line.content().substring(colon + 1);
            if (!rest.isEmpty() && !rest.startsWith(" ")) {
                throw error(line.number(), "needs a space after the colon of key '" + key + "'");
            }
            Object value;
            if (rest.isBlank() && next < lines.size() && lines.get(next).indent() > indent) {
                value = block(lines.get(next).indent());
            } else {
                value = value(rest.strip(), line.number());
            }
            if (values.put(key, value) != null) {
                throw error(line.number(), "repeats the key '" + key + "'");
            }
        }
        return values;
    }

    private Object value(String text, int number) {
        if (text.equals("{}")) {
            return new LinkedHashMap<String, Object>();
        }
        if (text.startsWith("[")) {
            if (!text.endsWith("]")) {
                throw error(number, "opens a list with '[' that does not end on the same line");
            }
            List<Object> items = new ArrayList<>();
            String inner = text.substring(1, text.length() - 1);
            if (!inner.isBlank()) {
                for (String item : splitOutsideQuotes(inner, number)) {
                    items.add(scalar(item.strip(), number));
                }
            }
            return items;
        }
        return scalar(text, number);
    }

    private String scalar(String text, int number) {
        if (text.equals("~") || text.equals("null")) {
            return "";
        }
        if (text.startsWith("\"") || text.startsWith("'")) {
            if (closingQuote(text, 0, number) != text.length() - 1) {
                throw error(number, "has text after the closing quote in " + text);
            }
            String inner = text.substring(1, text.length() - 1);
            return text.charAt(0) == '\'' ? inner.replace("''", "'") : unescape(inner, number);
        }
        if (text.startsWith("{") || text.startsWith("&") || text.startsWith("*") || text.startsWith("!")
                || text.startsWith("|") || text.startsWith(">")) {
            throw error(number, "uses YAML beyond a defaults file's subset (" + text + "); write plain values, "
                    + "quoted strings, [lists] and indented groups of keys");
        }
        return text;
    }

    private String unescape(String text, int number) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch != '\\') {
                out.append(ch);
                continue;
            }
            if (++i == text.length()) {
                throw error(number, "ends a quoted string with a lone backslash");
            }
            char escaped = text.charAt(i);
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                default -> throw error(number, "has the unsupported escape \\" + escaped);
            }
        }
        return out.toString();
    }

    private List<String> splitOutsideQuotes(String text, int number) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if ((ch == '"' || ch == '\'') && startsScalar(text, i)) {
                i = closingQuote(text, i, number);
            } else if (ch == ',') {
                parts.add(text.substring(start, i));
                start = i + 1;
            } else if (ch == '[' || ch == '{') {
                throw error(number, "nests a collection in a list; a defaults file's lists hold plain values");
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    // A '#' starts a comment at the line's start or after a blank, outside quotes (as in YAML).
    private String stripComment(String line, int number) {
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if ((ch == '"' || ch == '\'') && startsScalar(line, i)) {
                i = closingQuote(line, i, number);
            } else if (ch == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    // Where the quoted scalar opened at {@code open} closes: '' inside single quotes and \x inside double quotes
    // are escapes.
    private int closingQuote(String text, int open, int number) {
        char quote = text.charAt(open);
        for (int i = open + 1; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quote == '"' && ch == '\\') {
                i++;
            } else if (ch == quote) {
                if (quote == '\'' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    i++;
                } else {
                    return i;
                }
            }
        }
        throw error(number, "has an unclosed quote in " + text.substring(open).strip());
    }

    // A quote opens a quoted scalar only where a value starts (an apostrophe inside plain text is text).
    private static boolean startsScalar(String text, int at) {
        int i = at - 1;
        while (i >= 0 && text.charAt(i) == ' ') {
            i--;
        }
        return i < 0 || text.charAt(i) == ':' || text.charAt(i) == '[' || text.charAt(i) == ',';
    }

    private IllegalStateException error(int number, String problem) {
        return new IllegalStateException(resource + " line " + number + " " + problem);
    }
}
