package dev.densify.core.config;

import dev.densify.api.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a configuration node against its option file, whose keys and default values are the schema: a key the
 * option does not have is unknown, and a value must have its default's type. An empty map or list and a null
 * default accept anything, which is how an option declares a free-form entry.
 */
final class Schema {
    private Schema() {}

    /** The node with values converted to their defaults' types; every mismatch is added to {@code problems}. */
    static Map<String, Object> conform(String path, Map<String, Object> schema, Map<String, Object> node,
                                       List<ConfigException> problems) {
        Map<String, Object> out = new LinkedHashMap<>();
        node.forEach((key, value) -> {
            String at = path.isEmpty() ? key : path + "." + key;
            if (!schema.containsKey(key)) {
                problems.add(new ConfigException(at, "unknown key; "
                        + (schema.isEmpty() ? "no keys are allowed here" : "allowed keys are " + schema.keySet())));
            } else {
                out.put(key, conformValue(at, schema.get(key), value, problems));
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object conformValue(String at, Object expected, Object value, List<ConfigException> problems) {
        Values type = Values.of(expected);
        Values actual = Values.of(value);
        if (type == Values.NULL) {
            return value;
        }
        if (type == Values.MAP && actual == Values.MAP) {
            Map<String, Object> schema = (Map<String, Object>) expected;
            return schema.isEmpty() ? value : conform(at, schema, (Map<String, Object>) value, problems);
        }
        if (type == Values.LIST && actual == Values.LIST) {
            Object element = elementSchema((List<Object>) expected);
            if (element == null) {
                return value;
            }
            List<Object> in = (List<Object>) value;
            List<Object> out = new ArrayList<>(in.size());
            for (int i = 0; i < in.size(); i++) {
                out.add(conformValue(at + "[" + i + "]", element, in.get(i), problems));
            }
            return out;
        }
        Object converted = type.isScalar() && actual.isScalar() ? type.convert(value) : null;
        if (converted == null) {
            problems.add(new ConfigException(at, "expected " + withArticle(type) + ", got " + Values.describe(value)));
            return value;
        }
        return converted;
    }

    /** The default all elements share, when the default list is non-empty and of one type (ints widen to doubles). */
    private static Object elementSchema(List<Object> expected) {
        if (expected.isEmpty()) {
            return null;
        }
        Values first = Values.of(expected.get(0));
        boolean numeric = true;
        boolean uniform = true;
        for (Object e : expected) {
            Values t = Values.of(e);
            uniform &= t == first;
            numeric &= t == Values.INT || t == Values.DOUBLE;
        }
        if (uniform) {
            return expected.get(0);
        }
        return numeric ? (Object) 0.0 : null;
    }

    private static String withArticle(Values type) {
        return (type == Values.INT ? "an " : "a ") + type.label();
    }
}
