package dev.densify.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** The types a configuration value may have, as users read them in error messages. */
enum Values {
    INT, DOUBLE, BOOL, STRING, LIST, MAP, NULL;

    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9][0-9_]*");

    static Values of(Object value) {
        if (value == null) {
            return NULL;
        }
        if (value instanceof Integer || value instanceof Long) {
            return INT;
        }
        if (value instanceof Double) {
            return DOUBLE;
        }
        if (value instanceof Boolean) {
            return BOOL;
        }
        if (value instanceof List<?>) {
            return LIST;
        }
        if (value instanceof Map<?, ?>) {
            return MAP;
        }
        return STRING;
    }

    boolean isScalar() {
        return this == INT || this == DOUBLE || this == BOOL || this == STRING;
    }

    /**
     * {@code value} as this type, when it can stand for one without losing meaning: any scalar as a string, an
     * integer as a double, and text that spells a number or boolean (YAML leaves {@code 1e-3} and quoted values as
     * text). Returns null when it cannot; callers check {@link #of} first for lists, maps and null.
     */
    Object convert(Object value) {
        Values actual = of(value);
        if (actual == this) {
            return value;
        }
        return switch (this) {
            case STRING -> actual.isScalar() ? value.toString() : null;
            case DOUBLE -> actual == INT ? (Object) ((Number) value).doubleValue()
                    : actual == STRING ? parseDouble(value.toString()) : null;
            case INT -> actual == STRING && INTEGER.matcher(value.toString().trim()).matches()
                    ? parseInt(value.toString()) : null;
            case BOOL -> actual == STRING ? parseBool(value.toString()) : null;
            default -> null;
        };
    }

    private static Object parseDouble(String text) {
        try {
            double d = Double.parseDouble(text.trim());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Object parseInt(String text) {
        try {
            return Trees.normalize(Long.parseLong(text.trim().replace("_", "")));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Object parseBool(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return t.equals("true") || t.equals("false") ? Boolean.parseBoolean(t) : null;
    }

    /** The value and its type as an error message shows them, e.g. {@code 'abc' (a string)}. */
    static String describe(Object value) {
        return switch (of(value)) {
            case LIST -> "a list";
            case MAP -> "a map";
            case NULL -> "no value";
            default -> "'" + value + "' (" + of(value).label() + ")";
        };
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
