package dev.densify.env.tooluse;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A safe arithmetic evaluator for {@code calc(...)}: decimal numbers, {@code + - * /}, unary signs and parentheses,
 * nothing else (no script engine, no names, no exponent). Exact decimal arithmetic, so that {@code 0.1+0.2} is
 * {@code 0.3}; division rounds to 16 significant digits. Inputs and results are bounded so that no text can make it
 * slow or deep.
 */
final class Calculator {
    static final int MAX_LENGTH = 80;
    static final int MAX_DEPTH = 16;
    /** Results beyond this magnitude are refused: no task needs them and their text would crowd the observation. */
    static final BigDecimal LIMIT = new BigDecimal("1e12");
    private static final int MAX_DIGITS = 15;

    /** What a malformed expression or an impossible operation reports, as a short message for the agent. */
    static final class CalcException extends Exception {
        CalcException(String message) {
            super(message);
        }
    }

    private final String text;
    private int at;
    private int depth;

    private Calculator(String text) {
        this.text = text;
    }

    /** The value of the expression, or a CalcException saying what is wrong with it. */
    static BigDecimal evaluate(String expression) throws CalcException {
        if (expression.length() > MAX_LENGTH) {
            throw new CalcException("expression longer than " + MAX_LENGTH + " characters");
        }
        Calculator parser = new Calculator(expression);
        parser.skipSpaces();
        if (parser.at == expression.length()) {
            throw new CalcException("empty expression; e.g. calc(2*3)");
        }
        BigDecimal value = parser.sum();
        if (parser.at < expression.length()) {
            throw new CalcException("unexpected '" + expression.charAt(parser.at) + "' at " + (parser.at + 1));
        }
        return value;
    }

    private BigDecimal sum() throws CalcException {
        BigDecimal value = product();
        while (true) {
            char op = peek();
            if (op != '+' && op != '-') {
                return value;
            }
            at++;
            BigDecimal right = product();
            value = bounded(op == '+' ? value.add(right) : value.subtract(right));
        }
    }

    private BigDecimal product() throws CalcException {
        BigDecimal value = factor();
        while (true) {
            char op = peek();
            if (op != '*' && op != '/') {
                return value;
            }
            at++;
            BigDecimal right = factor();
            if (op == '*') {
                value = bounded(value.multiply(right));
            } else if (right.signum() == 0) {
                throw new CalcException("division by zero");
            } else {
                value = bounded(value.divide(right, MathContext.DECIMAL64));
            }
        }
    }

    private BigDecimal factor() throws CalcException {
        if (++depth > MAX_DEPTH) {
            throw new CalcException("nested deeper than " + MAX_DEPTH);
        }
        try {
            char c = peek();
            if (c == '-' || c == '+') {
                at++;
                BigDecimal inner = factor();
                return c == '-' ? inner.negate() : inner;
            }
            if (c == '(') {
                at++;
                BigDecimal inner = sum();
                if (peek() != ')') {
                    throw new CalcException("missing ')'");
                }
                at++;
                return inner;
            }
            return number();
        } finally {
            depth--;
        }
    }

    private BigDecimal number() throws CalcException {
        int start = at;
        while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
            at++;
        }
        String digits = text.substring(start, at);
        skipSpaces();
        if (digits.isEmpty()) {
            throw new CalcException(start < text.length() ? "unexpected '" + text.charAt(start) + "' at " + (start + 1)
                    : "expression ends early");
        }
        if (digits.length() > MAX_DIGITS || !Numbers.isPlain(digits)) {
            throw new CalcException("bad number '" + digits + "'");
        }
        return new BigDecimal(digits);
    }

    /** The next character after spaces, or 0 at the end; spaces are consumed. */
    private char peek() {
        skipSpaces();
        return at < text.length() ? text.charAt(at) : 0;
    }

    private void skipSpaces() {
        while (at < text.length() && text.charAt(at) == ' ') {
            at++;
        }
    }

    private static BigDecimal bounded(BigDecimal value) throws CalcException {
        if (value.abs().compareTo(LIMIT) > 0) {
            throw new CalcException("result beyond 1e12");
        }
        // Keeps products of long decimals from growing their scale without end.
        return value.scale() > 16 ? value.setScale(16, RoundingMode.HALF_EVEN) : value;
    }
}
