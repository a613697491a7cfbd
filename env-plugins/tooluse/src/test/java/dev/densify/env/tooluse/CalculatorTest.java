package dev.densify.env.tooluse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class CalculatorTest {

    private static String calc(String expression) throws Calculator.CalcException {
        return Numbers.format(Calculator.evaluate(expression));
    }

    /** An expression of + - * over small integers, with its value computed independently, in exact integers. */
    private record Expression(String text, long value) {}

    private static Expression random(SplittableRandom r, int depth) {
        if (depth == 0 || r.nextInt(3) == 0) {
            long n = r.nextInt(0, 100);
            return r.nextInt(4) == 0 ? new Expression("-" + n, -n) : new Expression(Long.toString(n), n);
        }
        Expression a = random(r, depth - 1);
        Expression b = random(r, depth - 1);
        return switch (r.nextInt(3)) {
            case 0 -> new Expression("(" + a.text + "+" + b.text + ")", a.value + b.value);
            case 1 -> new Expression("(" + a.text + " - " + b.text + ")", a.value - b.value);
            default -> new Expression(a.text + "*" + b.text, a.value * b.value);
        };
    }

    private static final Gen<Expression> EXPRESSIONS = integers().all()
            .map(seed -> random(new SplittableRandom(seed), 3)).describedAs(Expression::text);

    @Test
    void evaluatesRandomExpressionsAsExactIntegerArithmeticDoes() {
        qt().withFixedSeed(1L).withExamples(500).forAll(EXPRESSIONS)
                .assuming(e -> e.text.length() <= Calculator.MAX_LENGTH)
                .checkAssert(e -> {
                    try {
                        assertEquals(Long.toString(e.value), calc(e.text), e.text);
                    } catch (Calculator.CalcException x) {
                        throw new AssertionError(e.text + " was refused: " + x.getMessage(), x);
                    }
                });
    }

    @Test
    void multiplicationBindsTighterThanAdditionAndSubtractionGoesLeftToRight() throws Exception {
        qt().withFixedSeed(2L).forAll(integers().between(0, 999), integers().between(0, 999), integers().between(0, 999))
                .checkAssert((a, b, c) -> {
                    try {
                        assertEquals(Long.toString(a + (long) b * c), calc(a + "+" + b + "*" + c));
                        assertEquals(Long.toString(a - b - c), calc(a + "-" + b + "-" + c));
                        assertEquals(Long.toString((long) (a + b) * c), calc("(" + a + "+" + b + ")*" + c));
                    } catch (Calculator.CalcException x) {
                        throw new AssertionError(x);
                    }
                });
        assertEquals("0.3", calc("0.1+0.2"));
        assertEquals("0.333333", calc("1/3"));
        assertEquals("2.5", calc(" 10 / 4 "));
        assertEquals("6", calc("--6"));
    }

    @Test
    void anyTextEitherEvaluatesOrIsRefusedWithAMessage() {
        Gen<String> noise = lists().of(integers().between(0, 17)).ofSizeBetween(0, 90)
                .map(codes -> {
                    StringBuilder text = new StringBuilder();
                    codes.forEach(c -> text.append("0123456789+-*/(). x".charAt(c)));
                    return text.toString();
                });
        qt().withFixedSeed(3L).withExamples(2000).forAll(noise).checkAssert(text -> {
            try {
                BigDecimal value = Calculator.evaluate(text);
                assertTrue(value.abs().compareTo(Calculator.LIMIT) <= 0, text);
            } catch (Calculator.CalcException e) {
                assertTrue(!e.getMessage().isBlank() && e.getMessage().length() < 60, e.getMessage());
            }
        });
        qt().withFixedSeed(4L).withExamples(500).forAll(strings().allPossible().ofLengthBetween(0, 100))
                .checkAssert(text -> {
                    try {
                        Calculator.evaluate(text);
                    } catch (Calculator.CalcException expected) {
                        // refused with a message: what a malformed call gets
                    }
                });
    }

    @Test
    void refusesWhatItCannotDoNamingTheProblem() {
        for (List<String> c : List.of(List.of("1/0", "division by zero"), List.of("(1+2", "missing ')'"),
                List.of("2**3", "unexpected '*'"), List.of("", "empty expression"), List.of("1.2.3", "bad number"),
                List.of("x+1", "unexpected 'x'"), List.of("999999*999999*999999", "beyond 1e12"),
                List.of("(".repeat(20) + "1" + ")".repeat(20), "nested deeper"), List.of("1+", "ends early"),
                List.of("1".repeat(81), "longer than 80"))) {
            Calculator.CalcException e = assertThrows(Calculator.CalcException.class, () -> Calculator.evaluate(c.get(0)));
            assertTrue(e.getMessage().contains(c.get(1)), () -> c.get(0) + " gives '" + e.getMessage() + "'");
        }
    }

    @Test
    void formatsNumbersShortAndPlain() {
        assertEquals("1000", Numbers.format(new BigDecimal("1E+3")));
        assertEquals("1.4", Numbers.format(new BigDecimal("1.4000000000000001")));
        assertEquals("0", Numbers.format(new BigDecimal("-0.0000001")));
        assertTrue(Numbers.sameAnswer("28", " 28.0 "));
        assertTrue(Numbers.sameAnswer("0.425", "0.4250"));
        assertTrue(!Numbers.sameAnswer("28", "29") && !Numbers.sameAnswer("28", "28 dollars"));
    }
}
