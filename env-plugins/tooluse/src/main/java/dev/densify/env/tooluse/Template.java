package dev.densify.env.tooluse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A kind of question with seeded parameters and the plan that answers it. Training and held-out tasks come from
 * disjoint templates, the held-out ones needing more tool calls or combining the tools in ways training never shows.
 * A plan is built by running its calls through the real tools, so plan, tools and answer cannot disagree.
 */
enum Template {
    // Training templates.
    COST(false) {
        Map<String, String> draw(SplittableRandom r) {
            return params("item", pick(r, Tools.items()), "n", between(r, 2, 9));
        }

        Problem build(Map<String, String> p) {
            Plan plan = new Plan();
            String price = plan.call("lookup(price," + p.get("item") + ")");
            String total = plan.call("calc(" + price + "*" + p.get("n") + ")");
            return plan.answer("What do " + p.get("n") + " " + p.get("item") + "s cost, in dollars?", total);
        }
    },
    METERS(false) {
        Map<String, String> draw(SplittableRandom r) {
            return params("km", between(r, 2, 9), "m", between(r, 10, 990));
        }

        Problem build(Map<String, String> p) {
            Plan plan = new Plan();
            String meters = plan.call("convert(" + p.get("km") + " km,m)");
            String total = plan.call("calc(" + meters + "+" + p.get("m") + ")");
            return plan.answer("How many m are " + p.get("km") + " km plus " + p.get("m") + " m?", total);
        }
    },
    BRIDGE_CM(false) {
        Map<String, String> draw(SplittableRandom r) {
            return params("name", pick(r, List.of("arlo", "brin", "cato", "dune")));
        }

        Problem build(Map<String, String> p) {
            Plan plan = new Plan();
            String length = Numbers.first(plan.call("search(" + p.get("name") + " bridge)"));
            String cm = plan.call("convert(" + length + " m,cm)");
            return plan.answer("How long is the " + capital(p.get("name")) + " bridge, in cm?", cm);
        }
    },
    STOCK_WEIGHT(false) {
        Map<String, String> draw(SplittableRandom r) {
            return params("item", pick(r, Tools.items()));
        }

        Problem build(Map<String, String> p) {
            Plan plan = new Plan();
            String stock = plan.call("lookup(stock," + p.get("item") + ")");
            String weight = plan.call("lookup(weight," + p.get("item") + ")");
            String total = plan.call("calc(" + stock + "*" + weight + ")");
            return plan.answer("What do all " + p.get("item") + "s in stock weigh, in kg?", total);
        }
    },
    ARITHMETIC(false) {
        Map<String, String> draw(SplittableRandom r) {
            return params("a", between(r, 2, 40), "b", between(r, 2, 40), "c", between(r, 2, 9));
        }

        Problem build(Map<String, String> p) {
            Plan plan = new Plan();
            String expression = "(" + p.get("a") + "+" + p.get("b") + ")*" + p.get("c");
            return plan.answer("What is " + expression + "?", plan.call("calc(" + expression + ")"));
        }
    },
    // Held-out templates: more calls, new combinations.
    COST_DIFFERENCE(true) {
        Map<String, String> draw(SplittableRandom r) {
            List<String> items = new ArrayList<>(Tools.items());
            String x = items.remove(r.nextInt(items.size()));
            String y = pick(r, items);
            int n = r.nextInt(2, 10);
            int m = r.nextInt(1, 10);
            // The first amount must cost more, so that the answer is positive; 9 of the cheapest item cost more than
            // 1 of the dearest, so some n and m always do.
            while (price(x) * n <= price(y) * m) {
                n = r.nextInt(2, 10);
                m = r.nextInt(1, 10);
            }
            return params("x", x, "n", Integer.toString(n), "y", y, "m", Integer.toString(m));
        }

        Problem build(Map<String, String> p) {
            Plan plan = new Plan();
            String px = plan.call("lookup(price," + p.get("x") + ")");
            String py = plan.call("lookup(price," + p.get("y") + ")");
            String difference = plan.call("calc(" + px + "*" + p.get("n") + "-" + py + "*" + p.get("m") + ")");
            return plan.answer("How many dollars more do " + p.get("n") + " " + p.get("x") + "s cost than "
                    + p.get("m") + " " + p.get("y") + "s?", difference);
        }
    },
    TOWERS_KM(true) {
        Map<String, String> draw(SplittableRandom r) {
            List<String> towers = new ArrayList<>(List.of("elm", "fenn", "gale", "hart"));
            String a = towers.remove(r.nextInt(towers.size()));
            return params("a", a, "b", pick(r, towers));
        }

        Problem build(Map<String, String> p) {
            Plan plan = new Plan();
            String a = Numbers.first(plan.call("search(" + p.get("a") + " tower)"));
            String b = Numbers.first(plan.call("search(" + p.get("b") + " tower)"));
            String sum = plan.call("calc(" + a + "+" + b + ")");
            String km = plan.call("convert(" + sum + " m,km)");
            return plan.answer("How tall are the " + capital(p.get("a")) + " and " + capital(p.get("b"))
                    + " towers together, in km?", km);
        }
    },
    GRAMS(true) {
        Map<String, String> draw(SplittableRandom r) {
            return params("item", pick(r, Tools.items()), "n", between(r, 2, 9));
        }

        Problem build(Map<String, String> p) {
            Plan plan = new Plan();
            String weight = plan.call("lookup(weight," + p.get("item") + ")");
            String kg = plan.call("calc(" + weight + "*" + p.get("n") + ")");
            String grams = plan.call("convert(" + kg + " kg,g)");
            return plan.answer("What do " + p.get("n") + " " + p.get("item") + "s weigh, in g?", grams);
        }
    },
    TRIP_MINUTES(true) {
        Map<String, String> draw(SplittableRandom r) {
            return params("name", pick(r, List.of("vela", "wren", "yarrow", "zinnia")), "stop", between(r, 5, 55));
        }

        Problem build(Map<String, String> p) {
            Plan plan = new Plan();
            String hours = Numbers.first(plan.call("search(" + p.get("name") + " trip)"));
            String minutes = plan.call("convert(" + hours + " h,min)");
            String total = plan.call("calc(" + minutes + "+" + p.get("stop") + ")");
            return plan.answer("The " + capital(p.get("name")) + " trip adds a " + p.get("stop")
                    + " min stop. How many min in all?", total);
        }
    };

    /** Whether the template makes held-out tasks (never training ones). */
    final boolean heldOut;

    Template(boolean heldOut) {
        this.heldOut = heldOut;
    }

    /** Seeded parameters of one question. */
    abstract Map<String, String> draw(SplittableRandom random);

    /** The question, plan and answer for the parameters. */
    abstract Problem build(Map<String, String> params);

    /** The metadata name of the template, as tasks carry it. */
    String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    static Template byId(String id) {
        for (Template t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no tool-use template '" + id + "'");
    }

    static List<Template> of(boolean heldOut) {
        return java.util.Arrays.stream(values()).filter(t -> t.heldOut == heldOut).toList();
    }

    /** Collects a plan's calls while running them. */
    private static final class Plan {
        private final List<String> calls = new ArrayList<>();

        String call(String action) {
            calls.add(action);
            return Tools.expect(action);
        }

        Problem answer(String question, String answer) {
            return new Problem(question, calls, answer);
        }
    }

    private static Map<String, String> params(String... keysAndValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            params.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return params;
    }

    private static String between(SplittableRandom r, int low, int high) {
        return Integer.toString(r.nextInt(low, high + 1));
    }

    private static String pick(SplittableRandom r, List<String> options) {
        return options.get(r.nextInt(options.size()));
    }

    private static int price(String item) {
        return Integer.parseInt(Tools.TABLES.get("price").get(item));
    }

    private static String capital(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
