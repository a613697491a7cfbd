package dev.densify.env.tooluse;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How numbers are written in tool results and read from answers: one home, so that plans and tools agree. */
final class Numbers {
    /** Decimal places a result is rounded to: enough for every task, few enough to stay short. */
    static final int PLACES = 6;
    private static final Pattern PLAIN = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern SIGNED = Pattern.compile("[+-]?\\d+(\\.\\d+)?");
    private static final Pattern FIRST = Pattern.compile("-?\\d+(\\.\\d+)?");

    private Numbers() {
    }

    /** Digits with at most one inner decimal point. */
    static boolean isPlain(String text) {
        return PLAIN.matcher(text).matches();
    }

    /** The shortest plain form, rounded to {@link #PLACES} decimals: 28, 1.4, -0.25, never 1E+3. */
    static String format(BigDecimal value) {
        BigDecimal rounded = value.setScale(PLACES, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return rounded.signum() == 0 ? "0" : rounded.toPlainString();
    }

    /** The number a text is, when it is one (an optional sign, digits, an optional decimal part). */
    static Optional<BigDecimal> parse(String text) {
        String t = text.strip();
        return SIGNED.matcher(t).matches() ? Optional.of(new BigDecimal(t)) : Optional.empty();
    }

    /** The first number in a text, as a tool result quotes it ("The Arlo bridge is 240 m long." gives 240). */
    static String first(String text) {
        Matcher m = FIRST.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no number in '" + text + "'");
        }
        return m.group();
    }

    /** Whether an answer equals the expected one: numerically for numbers, ignoring case and spaces otherwise. */
    static boolean sameAnswer(String expected, String given) {
        Optional<BigDecimal> e = parse(expected);
        Optional<BigDecimal> g = parse(given);
        if (e.isPresent() && g.isPresent()) {
            return format(e.get()).equals(format(g.get()));
        }
        return expected.strip().equalsIgnoreCase(given.strip());
    }
}
