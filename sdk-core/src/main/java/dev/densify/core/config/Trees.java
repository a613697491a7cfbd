package dev.densify.core.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configuration trees: maps with string keys, lists, and scalar values normalised to Integer/Long, Double,
 * Boolean and String, so that two trees holding the same configuration are equal.
 */
final class Trees {
    private Trees() {}

    /** A mutable deep copy with numbers normalised. */
    static Object normalize(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), normalize(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(normalize(v)));
            return copy;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof Long l) {
            return l == l.intValue() ? (Object) l.intValue() : l;
        }
        if (value instanceof BigInteger b) {
            return b.bitLength() < 64 ? normalize(b.longValue()) : b.toString();
        }
        if (value instanceof Float || value instanceof Double || value instanceof BigDecimal) {
            return ((Number) value).doubleValue();
        }
        if (value == null || value instanceof Boolean || value instanceof String) {
            return value;
        }
        return value.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> mutableMap(Object map) {
        return (Map<String, Object>) normalize(map);
    }

    /** Merges {@code overlay} into {@code base}: maps merge key by key, anything else replaces. */
    @SuppressWarnings("unchecked")
    static void merge(Map<String, Object> base, Map<String, Object> overlay) {
        overlay.forEach((key, value) -> {
            Object existing = base.get(key);
            if (existing instanceof Map<?, ?> && value instanceof Map<?, ?>) {
                merge((Map<String, Object>) existing, (Map<String, Object>) value);
            } else {
                base.put(key, normalize(value));
            }
        });
    }

    /** Sets the value at a path of keys below {@code base}, creating (or replacing non-map values by) maps. */
    @SuppressWarnings("unchecked")
    static void set(Map<String, Object> base, List<String> path, Object value) {
        Map<String, Object> node = base;
        for (String key : path.subList(0, path.size() - 1)) {
            Object child = node.get(key);
            if (!(child instanceof Map<?, ?>)) {
                child = new LinkedHashMap<String, Object>();
                node.put(key, child);
            }
            node = (Map<String, Object>) child;
        }
        node.put(path.get(path.size() - 1), normalize(value));
    }

    /** A deep, unmodifiable copy. */
    static Object freeze(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), freeze(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            // not List.copyOf: configuration lists may hold nulls
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(freeze(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> freezeMap(Map<String, Object> map) {
        return (Map<String, Object>) freeze(map);
    }
}
