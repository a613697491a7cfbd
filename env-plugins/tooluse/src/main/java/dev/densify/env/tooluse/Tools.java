package dev.densify.env.tooluse;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tools an agent calls, written {@code name(arguments)}: a calculator, lookup tables, a unit converter, a search
 * over a small document store, and {@code answer} to finish. The data is invented, so that tasks need the tools
 * rather than what a pretrained model remembers. Every call returns a result: a malformed or failing call returns
 * an error message that says what is allowed, never an exception.
 */
final class Tools {
    static final List<String> NAMES = List.of("calc", "lookup", "convert", "search", "answer");
    static final String ANSWER = "answer";
    /** How to call them, for the task's instruction (the observation, kept short for small contexts, names them only). */
    static final String USAGE = "Call one tool per step: calc(2*3), lookup(price,kiwi), convert(2 km,m), "
            + "search(arlo bridge); finish with answer(x). Tables: price ($), weight (kg), stock.";

    /** The lookup tables, by name: each item's price in dollars, weight in kg, and units in stock. */
    static final Map<String, Map<String, String>> TABLES = tables();

    /** The document store: one fact per document, short enough to show whole. */
    static final List<String> DOCUMENTS = List.of(
            "The Arlo bridge is 240 m long.",
            "The Brin bridge is 315 m long.",
            "The Cato bridge is 180 m long.",
            "The Dune bridge is 420 m long.",
            "The Elm tower is 95 m tall.",
            "The Fenn tower is 130 m tall.",
            "The Gale tower is 210 m tall.",
            "The Hart tower is 75 m tall.",
            "The Vela trip takes 3 h.",
            "The Wren trip takes 2 h.",
            "The Yarrow trip takes 5 h.",
            "The Zinnia trip takes 4 h.");

    /** Units by name: the dimension they measure and their size in that dimension's base unit. */
    private record Unit(String dimension, BigDecimal size) {}

    private static final Map<String, Unit> UNITS = units();
    private static final Set<String> IGNORED_WORDS = Set.of("the", "a", "an", "is", "of", "how", "what");

    private Tools() {
    }

    /** What one call gave: its result text and whether it succeeded. */
    record Result(String text, boolean ok) {
        static Result error(String message) {
            return new Result("error: " + message, false);
        }
    }

    /** A call split into its tool name and argument text, or null when the text is not shaped like a call. */
    record Call(String tool, String argument) {
        static Call parse(String action) {
            String text = action.strip();
            int open = text.indexOf('(');
            if (open <= 0 || !text.endsWith(")")) {
                return null;
            }
            String tool = text.substring(0, open).strip().toLowerCase(Locale.ROOT);
            return tool.chars().allMatch(c -> c >= 'a' && c <= 'z')
                    ? new Call(tool, text.substring(open + 1, text.length() - 1).strip()) : null;
        }

        /** The form two calls that mean the same thing share: no spaces around punctuation, lower case. */
        String canonical() {
            String arg = argument.toLowerCase(Locale.ROOT).replaceAll("\\s*([,()*/+-])\\s*", "$1")
                    .replaceAll("\\s+", " ");
            return tool + "(" + arg + ")";
        }
    }

    /** The result of a tool call other than {@code answer}; the environment itself handles answers. */
    static Result run(Call call) {
        return switch (call.tool()) {
            case "calc" -> calc(call.argument());
            case "lookup" -> lookup(call.argument());
            case "convert" -> convert(call.argument());
            case "search" -> search(call.argument());
            default -> Result.error("no tool " + quoted(call.tool(), 12) + "; tools: " + String.join(" ", NAMES));
        };
    }

    /** Runs a call known to be good, for plans: a template whose plan fails is a bug, not an agent's mistake. */
    static String expect(String action) {
        Call call = Call.parse(action);
        Result result = call == null ? Result.error("not a call") : run(call);
        if (!result.ok()) {
            throw new IllegalStateException("plan step '" + action + "' fails: " + result.text());
        }
        return result.text();
    }

    private static Result calc(String expression) {
        try {
            return new Result(Numbers.format(Calculator.evaluate(expression)), true);
        } catch (Calculator.CalcException e) {
            return Result.error(e.getMessage());
        }
    }

    private static Result lookup(String argument) {
        String[] parts = argument.split(",", -1);
        if (parts.length != 2) {
            return Result.error("use lookup(table,key)");
        }
        String table = parts[0].strip().toLowerCase(Locale.ROOT);
        String key = parts[1].strip().toLowerCase(Locale.ROOT);
        Map<String, String> rows = TABLES.get(table);
        if (rows == null) {
            return Result.error("no table " + quoted(table, 12) + "; tables: " + String.join(" ", TABLES.keySet()));
        }
        String value = rows.get(key);
        if (value == null && key.endsWith("s")) {
            value = rows.get(key.substring(0, key.length() - 1));
        }
        return value != null ? new Result(value, true)
                : Result.error("no key " + quoted(key, 8) + "; keys: " + String.join(" ", rows.keySet()));
    }

    private static Result convert(String argument) {
        String[] parts = argument.split(",", -1);
        if (parts.length != 2) {
            return Result.error("use convert(2 km,m)");
        }
        String quantity = parts[0].strip().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < quantity.length() && (Character.isDigit(quantity.charAt(split)) || quantity.charAt(split) == '.'
                || split == 0 && quantity.charAt(0) == '-')) {
            split++;
        }
        String number = quantity.substring(0, split);
        String fromName = quantity.substring(split).strip();
        String toName = parts[1].strip().toLowerCase(Locale.ROOT);
        if (number.isEmpty() || Numbers.parse(number).isEmpty() || number.length() > 16) {
            return Result.error("use convert(2 km,m): a number, then a unit");
        }
        Unit from = UNITS.get(fromName);
        Unit to = UNITS.get(toName);
        if (from == null || to == null) {
            return Result.error("no unit " + quoted(from == null ? fromName : toName, 8) + "; units: "
                    + String.join(" ", UNITS.keySet()));
        }
        if (!from.dimension().equals(to.dimension())) {
            return Result.error("cannot convert " + from.dimension() + " to " + to.dimension());
        }
        BigDecimal value = new BigDecimal(number).multiply(from.size()).divide(to.size(), MathContext.DECIMAL64);
        return value.abs().compareTo(Calculator.LIMIT) > 0 ? Result.error("result beyond 1e12")
                : new Result(Numbers.format(value), true);
    }

    /** The document sharing the most words with the query; ties go to the earlier document. */
    private static Result search(String query) {
        Set<String> words = words(query);
        if (words.isEmpty()) {
            return Result.error("use search(words), e.g. search(arlo)");
        }
        String best = null;
        int bestScore = 0;
        for (String document : DOCUMENTS) {
            Set<String> shared = words(document);
            shared.retainAll(words);
            if (shared.size() > bestScore) {
                best = document;
                bestScore = shared.size();
            }
        }
        return best == null ? new Result("no document matches", true) : new Result(best, true);
    }

    private static Set<String> words(String text) {
        Set<String> words = new TreeSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!word.isEmpty() && !IGNORED_WORDS.contains(word)) {
                words.add(word);
            }
        }
        return words;
    }

    /** A piece of the agent's text quoted in a message, cut so that a paragraph does not flood the observation. */
    static String quoted(String text, int limit) {
        String flat = text.replaceAll("\\s+", " ");
        return "'" + (flat.length() > limit ? flat.substring(0, limit) + "..." : flat) + "'";
    }

    private static Map<String, Map<String, String>> tables() {
        String[] items = {"apple", "pear", "plum", "lemon", "mango", "kiwi", "melon", "fig"};
        String[] price = {"3", "4", "2", "5", "6", "1", "7", "8"};
        String[] weight = {"0.2", "0.25", "0.05", "0.1", "0.4", "0.08", "1.5", "0.06"};
        String[] stock = {"40", "25", "60", "35", "12", "80", "9", "50"};
        Map<String, Map<String, String>> tables = new LinkedHashMap<>();
        tables.put("price", column(items, price));
        tables.put("weight", column(items, weight));
        tables.put("stock", column(items, stock));
        return java.util.Collections.unmodifiableMap(tables);
    }

    private static Map<String, String> column(String[] keys, String[] values) {
        Map<String, String> column = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            column.put(keys[i], values[i]);
        }
        return java.util.Collections.unmodifiableMap(column);
    }

    private static Map<String, Unit> units() {
        Map<String, Unit> units = new LinkedHashMap<>();
        String[][] table = {
                {"mm", "length", "0.001"}, {"cm", "length", "0.01"}, {"m", "length", "1"}, {"km", "length", "1000"},
                {"g", "mass", "0.001"}, {"kg", "mass", "1"}, {"t", "mass", "1000"},
                {"s", "time", "1"}, {"min", "time", "60"}, {"h", "time", "3600"}, {"d", "time", "86400"},
                {"ml", "volume", "0.001"}, {"l", "volume", "1"}};
        for (String[] row : table) {
            units.put(row[0], new Unit(row[1], new BigDecimal(row[2])));
        }
        return java.util.Collections.unmodifiableMap(units);
    }

    /** Items of the lookup tables, in table order. */
    static List<String> items() {
        return new ArrayList<>(TABLES.get("price").keySet());
    }
}
