package dev.densify.api.config;

import dev.densify.api.API;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** The one {@link PluginConfig} implementation: a tree of maps, lists and scalar values. */
@API(status = API.Status.INTERNAL, since = "0.1")
final class MapPluginConfig implements PluginConfig {
    private final String path;
    private final Map<String, Object> values;

    MapPluginConfig(String path, Map<String, ?> values) {
        this.path = Objects.requireNonNull(path, "path");
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
    }

    @Override public String path() { return path; }
    @Override public Set<String> keys() { return values.keySet(); }
    @Override public boolean has(String key) { return values.containsKey(key); }
    @Override public Map<String, Object> asMap() { return values; }

    private String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private Object scalar(String key) {
        Object v = values.get(key);
        if (v instanceof Map || v instanceof List) {
            throw new ConfigException(pathOf(key), "expected a single value, got " + describe(v));
        }
        return v;
    }

    @Override
    public String getString(String key, String defaultValue) {
        Object v = scalar(key);
        return v == null ? defaultValue : v.toString();
    }

    @Override
    public int getInt(String key, int defaultValue) {
        Object v = scalar(key);
        return v == null ? defaultValue : (int) toLong(pathOf(key), v, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    @Override
    public long getLong(String key, long defaultValue) {
        Object v = scalar(key);
        return v == null ? defaultValue : toLong(pathOf(key), v, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Override
    public double getDouble(String key, double defaultValue) {
        Object v = scalar(key);
        return v == null ? defaultValue : toDouble(pathOf(key), v);
    }

    @Override
    public boolean getBoolean(String key, boolean defaultValue) {
        Object v = scalar(key);
        return v == null ? defaultValue : toBoolean(pathOf(key), v);
    }

    @Override
    public List<String> getStringList(String key, List<String> defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.toUnmodifiableList());
        }
        String text = v.toString().trim();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        return text.isBlank() ? List.of()
                : Arrays.stream(text.split(",")).map(String::trim).collect(Collectors.toUnmodifiableList());
    }

    @Override
    public PluginConfig child(String key) {
        Object v = values.get(key);
        if (v == null) {
            return new MapPluginConfig(pathOf(key), Map.of());
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw new ConfigException(pathOf(key), "expected a group of keys, got " + describe(v));
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, val) -> copy.put(String.valueOf(k), val));
        return new MapPluginConfig(pathOf(key), copy);
    }

    @Override
    public <T> T bind(Class<T> type) {
        return bind(type, true);
    }

    /** Binds every component from this node, nested records too: a missing key is an error, never a default. */
    <T> T bindStrictly(Class<T> type) {
        return bind(type, false);
    }

    private <T> T bind(Class<T> type, boolean withDefaults) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        RecordComponent[] components = type.getRecordComponents();
        Set<String> allowed = new LinkedHashSet<>();
        for (RecordComponent c : components) {
            allowed.add(snakeCase(c.getName()));
        }
        for (String key : values.keySet()) {
            if (!allowed.contains(key) && !allowed.contains(snakeCase(key))) {
                throw new ConfigException(pathOf(key), "unknown key; allowed keys are " + allowed);
            }
        }
        Object defaults = null; // read only when a key is missing: a full node never needs the defaults file
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            String key = values.containsKey(c.getName()) ? c.getName() : snakeCase(c.getName());
            if (values.containsKey(key)) {
                args[i] = convert(pathOf(key), values.get(key), c.getType(), c.getGenericType(), withDefaults);
            } else {
                if (defaults == null && withDefaults) {
                    defaults = declaredDefaults(type);
                }
                if (defaults == null) {
                    throw new ConfigException(pathOf(key), "missing required key of type "
                            + c.getType().getSimpleName());
                }
                args[i] = invoke(c.getAccessor(), defaults);
            }
        }
        try {
            Constructor<T> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigException ce) {
                // A record's own checks name its keys as users type them; the node's path goes in front.
                boolean absolute = ce.path().equals(path) || ce.path().startsWith(path + ".");
                throw absolute ? ce : new ConfigException(pathOf(ce.path()), ce.problem());
            }
            throw new ConfigException(path, cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }

    /** Configuration keys are snake_case; record components are camelCase: {@code maxSteps} reads {@code max_steps}. */
    static String snakeCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (char ch : name.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                out.append('_').append(Character.toLowerCase(ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    private static Object declaredDefaults(Class<?> type) {
        try {
            Method m = type.getDeclaredMethod("defaults");
            if (Modifier.isStatic(m.getModifiers()) && m.getReturnType() == type) {
                m.setAccessible(true);
                return m.invoke(null);
            }
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call " + type.getName() + ".defaults()", e);
        }
        return null;
    }

    private static Object invoke(Method accessor, Object target) {
        try {
            accessor.setAccessible(true);
            return accessor.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object convert(String at, Object v, Class<?> type, Type generic, boolean withDefaults) {
        if (v == null) {
            throw new ConfigException(at, "has no value; expected " + type.getSimpleName());
        }
        if (type == String.class) {
            return v.toString();
        }
        if (type == int.class || type == Integer.class) {
            return (int) toLong(at, v, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (type == long.class || type == Long.class) {
            return toLong(at, v, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (type == double.class || type == Double.class) {
            return toDouble(at, v);
        }
        if (type == float.class || type == Float.class) {
            return (float) toDouble(at, v);
        }
        if (type == boolean.class || type == Boolean.class) {
            return toBoolean(at, v);
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(v.toString().replace('-', '_'))) {
                    return constant;
                }
            }
            List<String> names = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                names.add(((Enum<?>) constant).name().toLowerCase(java.util.Locale.ROOT));
            }
            throw new ConfigException(at, "'" + v + "' is not allowed; expected one of " + names);
        }
        if (type == List.class) {
            Type element = generic instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : String.class;
            Class<?> elementClass = element instanceof Class<?> c ? c : String.class;
            List<?> raw = v instanceof List<?> l ? l : getStringListOf(v);
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                out.add(convert(at + "[" + i + "]", raw.get(i), elementClass, element, withDefaults));
            }
            return List.copyOf(out);
        }
        if (type == Map.class) {
            if (!(v instanceof Map<?, ?> m)) {
                throw new ConfigException(at, "expected a group of keys, got " + describe(v));
            }
            Map<String, String> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), String.valueOf(val)));
            return Collections.unmodifiableMap(out);
        }
        if (type.isRecord()) {
            if (!(v instanceof Map<?, ?> m)) {
                throw new ConfigException(at, "expected a group of keys, got " + describe(v));
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, val) -> copy.put(String.valueOf(k), val));
            return new MapPluginConfig(at, copy).bind(type, withDefaults);
        }
        if (type == PluginConfig.class) {
            if (!(v instanceof Map<?, ?> m)) {
                throw new ConfigException(at, "expected a group of keys, got " + describe(v));
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, val) -> copy.put(String.valueOf(k), val));
            return new MapPluginConfig(at, copy);
        }
        throw new IllegalArgumentException("unsupported configuration type " + type.getName() + " at " + at);
    }

    private static List<String> getStringListOf(Object v) {
        return new MapPluginConfig("", Map.of("v", v)).getStringList("v", List.of());
    }

    private static long toLong(String at, Object v, long min, long max) {
        long value;
        if (v instanceof Number n && !(v instanceof Double || v instanceof Float)) {
            value = n.longValue();
        } else {
            try {
                value = Long.parseLong(v.toString().trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new ConfigException(at, "'" + v + "' is not an integer");
            }
        }
        if (value < min || value > max) {
            throw new ConfigException(at, value + " is out of range [" + min + ", " + max + "]");
        }
        return value;
    }

    private static double toDouble(String at, Object v) {
        double value;
        if (v instanceof Number n) {
            value = n.doubleValue();
        } else {
            try {
                value = Double.parseDouble(v.toString().trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(at, "'" + v + "' is not a number");
            }
        }
        if (!Double.isFinite(value)) {
            throw new ConfigException(at, "'" + v + "' is not a finite number");
        }
        return value;
    }

    private static boolean toBoolean(String at, Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new ConfigException(at, "'" + v + "' is not a boolean; expected true or false");
    }

    private static String describe(Object v) {
        if (v instanceof Map) {
            return "a group of keys";
        }
        if (v instanceof List) {
            return "a list";
        }
        return "'" + v + "'";
    }

    @Override
    public String toString() {
        return path + values;
    }
}
