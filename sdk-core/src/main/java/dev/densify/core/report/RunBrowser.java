package dev.densify.core.report;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.api.API;
import dev.densify.core.train.TrajectoryFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trajectory browser: a small web app on the loopback interface over one run folder or a folder of runs
 * (an ablation folder, {@code runs/}). Pages: runs; a run's sampled iterations; an iteration's episodes (filter by
 * task, success and length, sort by return); one episode step by step; two runs side by side on one task. Every
 * text is escaped, the pages run no script at all (a Content-Security-Policy says so to the browser), and only
 * files inside the discovered run folders are served, by name from a fixed list.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RunBrowser implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunBrowser.class);
    private static final Pattern ITERATION_FILE = Pattern.compile("iter-(\\d{5,})\\.jsonl\\.gz");
    /** /files/RUN-ID/NAME: relative links between reports and their plots keep working when served. */
    private static final Pattern SERVED =
            Pattern.compile("/files/(?:(.+)/)?(report\\.html|ablation\\.html|plots/[A-Za-z0-9_-]+\\.png)");
    private static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self';"
            + " form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    private static final String REPORT_POLICY = "default-src 'none'; script-src 'unsafe-inline';"
            + " style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";
    private static final int DEPTH = 3;

    private final Path root;
    private final HttpServer server;
    private final ExecutorService executor;

    private RunBrowser(Path root, HttpServer server, ExecutorService executor) {
        this.root = root;
        this.server = server;
        this.executor = executor;
    }

    /** Serves {@code folder} on 127.0.0.1; port 0 lets the system choose. */
    public static RunBrowser start(Path folder, int port) throws IOException {
        Objects.requireNonNull(folder, "folder");
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + " is not a folder");
        }
        Path root = folder.toRealPath();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "densify-view");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        RunBrowser browser = new RunBrowser(root, server, executor);
        server.createContext("/", browser::handle);
        server.start();
        LOG.info("serving {} on {}", root, browser.uri());
        return browser;
    }

    public URI uri() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                send(exchange, 405, "text/plain", "GET only".getBytes(StandardCharsets.UTF_8), PAGE_POLICY);
                return;
            }
            Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
            String path = exchange.getRequestURI().getPath();
            try {
                switch (path) {
                    case "/" -> page(exchange, "densify runs", runsPage());
                    case "/run" -> page(exchange, "run " + q.getOrDefault("run", ""), runPage(run(q)));
                    case "/episodes" -> page(exchange, "episodes", episodesPage(run(q), iteration(q), q));
                    case "/episode" -> page(exchange, "episode", episodePage(run(q), iteration(q), index(q, "ep")));
                    case "/compare" -> page(exchange, "compare", comparePage(q));
                    default -> {
                        if (!path.startsWith("/files/")) {
                            throw new NotFound("no page " + path);
                        }
                        file(exchange, path);
                    }
                }
            } catch (NotFound e) {
                send(exchange, 404, "text/html; charset=utf-8",
                        html("not found", "<p class=\"error\">" + Html.text(e.getMessage()) + "</p>"), PAGE_POLICY);
            } catch (RuntimeException e) {
                LOG.warn("view: {} failed: {}", exchange.getRequestURI(), e.toString());
                send(exchange, 500, "text/html; charset=utf-8",
                        html("error", "<p class=\"error\">" + Html.text(e.toString()) + "</p>"), PAGE_POLICY);
            }
        }
    }

    /** A request for something that is not there, or not ours to serve. */
    private static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    // ---- what is served ----

    /** Run folders under the root (the root itself if it is one), keyed by their path relative to the root. */
    private Map<String, Path> runs() {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root, DEPTH)) {
            s.filter(p -> Files.isRegularFile(p.resolve("config.yaml"))
                            && (Files.isRegularFile(p.resolve("metrics.jsonl")) || Files.isDirectory(p.resolve("trajectories"))))
                    .forEach(p -> out.put(id(p), p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return out;
    }

    /** Ablation folders under the root (the root itself if it is one). */
    private Map<String, Path> ablations() {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root, DEPTH)) {
            s.filter(p -> Files.isRegularFile(p.resolve(AblationReport.FILE_NAME))).forEach(p -> out.put(id(p), p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return out;
    }

    private String id(Path p) {
        String rel = root.relativize(p).toString().replace('\\', '/');
        return rel.isEmpty() ? "." : rel;
    }

    /** Only ids of discovered runs are accepted: a path from the request is never resolved on its own. */
    private Path run(Map<String, String> q) {
        String id = q.get("run");
        Path p = id == null ? null : runs().get(id);
        if (p == null) {
            throw new NotFound("no run " + (id == null ? "given" : id));
        }
        return p;
    }

    private static int iteration(Map<String, String> q) {
        return index(q, "iter");
    }

    private static int index(Map<String, String> q, String name) {
        try {
            int v = Integer.parseInt(q.getOrDefault(name, ""));
            if (v < 0) {
                throw new NotFound(name + " must not be negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new NotFound(name + " must be a number");
        }
    }

    private static TreeMap<Integer, Path> iterations(Path run) {
        TreeMap<Integer, Path> out = new TreeMap<>();
        Path dir = run.resolve("trajectories");
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                Matcher m = ITERATION_FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.put(Integer.parseInt(m.group(1)), p);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    private static List<TrajectoryFiles.Sample> samples(Path run, int iteration) {
        Path file = iterations(run).get(iteration);
        if (file == null) {
            throw new NotFound("no sampled trajectories for iteration " + iteration);
        }
        return TrajectoryFiles.readSamples(file);
    }

    /** report.html, ablation.html and plots of a run folder, or of the root (an ablation folder). */
    private void file(HttpExchange exchange, String path) throws IOException {
        Matcher m = SERVED.matcher(path);
        if (!m.matches()) {
            throw new NotFound("not served: " + path);
        }
        String id = m.group(1) == null ? "." : m.group(1);
        String name = m.group(2);
        Path folder = name.equals(AblationReport.FILE_NAME) || name.startsWith(RunReport.PLOTS)
                ? ablations().getOrDefault(id, runs().get(id)) : runs().get(id);
        if (folder == null) {
            throw new NotFound("no run " + id);
        }
        Path file = folder.resolve(name).normalize();
        if (!Files.isRegularFile(file) || !file.toRealPath().startsWith(root)) {
            throw new NotFound("no file " + name);
        }
        boolean html = name.endsWith(".html");
        send(exchange, 200, html ? "text/html; charset=utf-8" : "image/png", Files.readAllBytes(file),
                html ? REPORT_POLICY : PAGE_POLICY);
    }

    /** The address of a served file of a run (URL-encoded path segments). */
    private static String fileHref(String id, String name) {
        StringBuilder b = new StringBuilder("/files/");
        if (!id.equals(".")) {
            for (String segment : id.split("/")) {
                b.append(Html.query(segment).replace("+", "%20")).append('/');
            }
        }
        return Html.text(b.append(name).toString());
    }

    // ---- pages ----

    private String runsPage() {
        Map<String, Path> runs = runs();
        StringBuilder b = new StringBuilder();
        b.append("<p>Folder: ").append(Html.text(root.toString())).append("</p>\n");
        for (String ablation : ablations().keySet()) {
            b.append("<p><a class=\"ablation\" href=\"").append(fileHref(ablation, AblationReport.FILE_NAME))
                    .append("\">ablation report ").append(Html.text(ablation)).append("</a></p>\n");
        }
        b.append("<table id=\"runs\"><tr><th>run</th><th>iterations</th><th>sampled</th><th>last training success</th>"
                + "<th>last held-out success</th><th>report</th></tr>\n");
        for (var e : runs.entrySet()) {
            RunMetrics m = RunMetrics.read(e.getValue());
            b.append("<tr><td><a class=\"run\" href=\"/run?run=").append(Html.text(Html.query(e.getKey()))).append("\">")
                    .append(Html.text(e.getKey())).append("</a></td><td>").append(m.size()).append("</td><td>")
                    .append(iterations(e.getValue()).size()).append("</td><td>").append(last(m.column("train_success")))
                    .append("</td><td>").append(last(m.column("heldout_success"))).append("</td><td>");
            if (Files.isRegularFile(e.getValue().resolve(RunReport.FILE_NAME))) {
                b.append("<a class=\"report\" href=\"").append(fileHref(e.getKey(), RunReport.FILE_NAME))
                        .append("\">report</a>");
            }
            b.append("</td></tr>\n");
        }
        b.append("</table>\n");
        if (runs.size() >= 2) {
            b.append("<h2>Two runs side by side</h2>\n<form action=\"/compare\" method=\"get\">");
            for (String side : List.of("a", "b")) {
                b.append("<select name=\"").append(side).append("\">");
                int k = 0;
                for (String id : runs.keySet()) {
                    boolean selected = side.equals("a") ? k == 0 : k == 1;
                    b.append("<option").append(selected ? " selected" : "").append(" value=\"").append(Html.text(id))
                            .append("\">").append(Html.text(id)).append("</option>");
                    k++;
                }
                b.append("</select> ");
            }
            b.append("task <input name=\"task\" placeholder=\"any shared task\"> <button type=\"submit\">compare</button>"
                    + "</form>\n");
        }
        return b.toString();
    }

    private String runPage(Path run) {
        String id = id(run);
        StringBuilder b = new StringBuilder();
        b.append("<p><a href=\"/\">runs</a> / ").append(Html.text(id));
        if (Files.isRegularFile(run.resolve(RunReport.FILE_NAME))) {
            b.append(" — <a class=\"report\" href=\"").append(fileHref(id, RunReport.FILE_NAME)).append("\">report</a>");
        }
        b.append("</p>\n<table id=\"iterations\"><tr><th>iteration</th><th>sampled episodes</th><th>successes</th>"
                + "<th>mean length</th></tr>\n");
        for (var e : iterations(run).entrySet()) {
            List<TrajectoryFiles.Sample> s = TrajectoryFiles.readSamples(e.getValue());
            long ok = s.stream().filter(x -> x.trajectory().outcome().success()).count();
            double len = s.stream().mapToInt(x -> x.trajectory().length()).average().orElse(Double.NaN);
            b.append("<tr><td><a class=\"iteration\" href=\"/episodes?run=").append(Html.text(Html.query(id)))
                    .append("&amp;iter=").append(e.getKey()).append("\">").append(e.getKey()).append("</a></td><td>")
                    .append(s.size()).append("</td><td>").append(ok).append("</td><td>").append(fmt(len))
                    .append("</td></tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private String episodesPage(Path run, int iteration, Map<String, String> q) {
        String id = id(run);
        List<TrajectoryFiles.Sample> all = samples(run, iteration);
        String task = q.getOrDefault("task", "");
        String success = q.getOrDefault("success", "any");
        Integer minLen = optionalInt(q, "min_length");
        Integer maxLen = optionalInt(q, "max_length");
        String sort = q.getOrDefault("sort", "none");
        List<Integer> shown = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Trajectory t = all.get(i).trajectory();
            if ((task.isEmpty() || t.taskId().contains(task))
                    && (success.equals("any") || t.outcome().success() == success.equals("yes"))
                    && (minLen == null || t.length() >= minLen) && (maxLen == null || t.length() <= maxLen)) {
                shown.add(i);
            }
        }
        Comparator<Integer> byReturn = Comparator.comparingDouble(i -> episodeReturn(all.get(i).trajectory()));
        if (sort.equals("return_desc")) {
            shown.sort(byReturn.reversed());
        } else if (sort.equals("return_asc")) {
            shown.sort(byReturn);
        }
        StringBuilder b = new StringBuilder();
        b.append("<p><a href=\"/\">runs</a> / <a href=\"/run?run=").append(Html.text(Html.query(id))).append("\">")
                .append(Html.text(id)).append("</a> / iteration ").append(iteration).append("</p>\n");
        b.append("<form action=\"/episodes\" method=\"get\" id=\"filter\">")
                .append("<input type=\"hidden\" name=\"run\" value=\"").append(Html.text(id)).append("\">")
                .append("<input type=\"hidden\" name=\"iter\" value=\"").append(iteration).append("\">")
                .append("task <input name=\"task\" value=\"").append(Html.text(task)).append("\"> success <select name=\"success\">");
        for (String s : List.of("any", "yes", "no")) {
            b.append("<option").append(s.equals(success) ? " selected" : "").append(">").append(s).append("</option>");
        }
        b.append("</select> length <input name=\"min_length\" size=\"3\" value=\"").append(minLen == null ? "" : minLen)
                .append("\"> to <input name=\"max_length\" size=\"3\" value=\"").append(maxLen == null ? "" : maxLen)
                .append("\"> sort <select name=\"sort\">");
        for (String s : List.of("none", "return_desc", "return_asc")) {
            b.append("<option").append(s.equals(sort) ? " selected" : "").append(">").append(s).append("</option>");
        }
        b.append("</select> <button type=\"submit\">filter</button></form>\n");
        b.append("<p>").append(shown.size()).append(" of ").append(all.size()).append(" episodes</p>\n");
        b.append("<table id=\"episodes\"><tr><th>#</th><th>episode</th><th>task</th><th>steps</th><th>return</th>"
                + "<th>outcome</th><th>success</th></tr>\n");
        for (int i : shown) {
            Trajectory t = all.get(i).trajectory();
            b.append("<tr class=\"episode\"><td>").append(i).append("</td><td><a class=\"episode-link\" href=\"/episode?run=")
                    .append(Html.text(Html.query(id))).append("&amp;iter=").append(iteration).append("&amp;ep=").append(i)
                    .append("\">").append(Html.text(t.id())).append("</a></td><td class=\"task\">").append(Html.text(t.taskId()))
                    .append("</td><td class=\"length\">").append(t.length()).append("</td><td class=\"return\">")
                    .append(fmt(episodeReturn(t))).append("</td><td>").append(fmt(t.outcome().reward()))
                    .append("</td><td class=\"success\">").append(t.outcome().success() ? "yes" : "no").append("</td></tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private String episodePage(Path run, int iteration, int episode) {
        List<TrajectoryFiles.Sample> all = samples(run, iteration);
        if (episode >= all.size()) {
            throw new NotFound("no episode " + episode + " in iteration " + iteration);
        }
        String id = id(run);
        StringBuilder b = new StringBuilder();
        b.append("<p><a href=\"/\">runs</a> / <a href=\"/run?run=").append(Html.text(Html.query(id))).append("\">")
                .append(Html.text(id)).append("</a> / <a href=\"/episodes?run=").append(Html.text(Html.query(id)))
                .append("&amp;iter=").append(iteration).append("\">iteration ").append(iteration).append("</a> / episode ")
                .append(episode).append("</p>\n");
        b.append(steps(all.get(episode)));
        return b.toString();
    }

    /** The step table of one episode; its numbers are the trajectory file's, formatted with {@link #fmt}. */
    private static String steps(TrajectoryFiles.Sample sample) {
        Trajectory t = sample.trajectory();
        TrajectoryFiles.StepValues v = sample.values();
        StringBuilder b = new StringBuilder();
        b.append("<table class=\"meta\"><tr><th>episode</th><td class=\"episode-id\">").append(Html.text(t.id()))
                .append("</td></tr><tr><th>task</th><td class=\"task\">").append(Html.text(t.taskId()))
                .append("</td></tr><tr><th>seed</th><td>").append(t.seed()).append("</td></tr><tr><th>policy version</th><td>")
                .append(t.policyVersion()).append("</td></tr><tr><th>outcome</th><td class=\"outcome\">")
                .append(fmt(t.outcome().reward())).append(t.outcome().success() ? " (success)" : " (failure)")
                .append(t.terminated() ? ", terminated" : ", truncated").append("</td></tr></table>\n");
        b.append("<table class=\"steps\"><tr><th>t</th><th>observation</th><th>rendered state</th><th>action</th>"
                + "<th>tokens (id: log-prob)</th><th>env reward</th><th>V(s)</th><th>dense reward</th><th>advantage</th></tr>\n");
        for (int s = 0; s < t.steps().size(); s++) {
            Step step = t.steps().get(s);
            StringBuilder tokens = new StringBuilder();
            for (int k = 0; k < step.actionTokenIds().length; k++) {
                tokens.append(k == 0 ? "" : " ").append(step.actionTokenIds()[k]).append(": ")
                        .append(fmt(step.actionLogProbs()[k]));
            }
            b.append("<tr class=\"step\"><td class=\"t\">").append(s).append("</td><td><pre class=\"obs\">")
                    .append(Html.text(step.observation())).append("</pre></td><td><pre class=\"render\">")
                    .append(Html.text(step.rendered())).append("</pre></td><td><pre class=\"action\">")
                    .append(Html.text(step.action())).append("</pre></td><td class=\"tokens\">").append(tokens)
                    .append("</td><td class=\"reward\">").append(fmt(step.reward())).append("</td><td class=\"value\">")
                    .append(fmt(TrajectoryFiles.StepValues.at(v.values(), s))).append("</td><td class=\"dense\">")
                    .append(fmt(TrajectoryFiles.StepValues.at(v.denseRewards(), s))).append("</td><td class=\"advantage\">")
                    .append(fmt(TrajectoryFiles.StepValues.at(v.advantages(), s))).append("</td></tr>\n");
        }
        b.append("</table>\n<p>Final observation:</p><pre class=\"final\">").append(Html.text(t.finalObservation()))
                .append("</pre>\n");
        return b.toString();
    }

    private String comparePage(Map<String, String> q) {
        Path a = run(Map.of("run", q.getOrDefault("a", "")));
        Path b = run(Map.of("run", q.getOrDefault("b", "")));
        String task = q.getOrDefault("task", "");
        StringBuilder out = new StringBuilder("<p><a href=\"/\">runs</a> / compare</p>\n");
        if (task.isEmpty()) {
            List<String> shared = new ArrayList<>(latestByTask(a).keySet());
            shared.retainAll(latestByTask(b).keySet());
            out.append("<p>Tasks sampled in both runs:</p><ul id=\"shared-tasks\">");
            for (String t : shared) {
                out.append("<li><a href=\"/compare?a=").append(Html.text(Html.query(id(a)))).append("&amp;b=")
                        .append(Html.text(Html.query(id(b)))).append("&amp;task=").append(Html.text(Html.query(t)))
                        .append("\">").append(Html.text(t)).append("</a></li>");
            }
            return out.append("</ul>\n").toString();
        }
        out.append("<div class=\"side-by-side\">");
        for (Path run : List.of(a, b)) {
            out.append("<div class=\"side\"><h2>").append(Html.text(id(run))).append("</h2>");
            Optional<TrajectoryFiles.Sample> s = Optional.ofNullable(latestByTask(run).get(task));
            out.append(s.map(RunBrowser::steps).orElse("<p>no sampled episode of this task</p>")).append("</div>");
        }
        return out.append("</div>\n").toString();
    }

    /** For each task, the first sampled episode of the latest iteration that has one. */
    private static Map<String, TrajectoryFiles.Sample> latestByTask(Path run) {
        Map<String, TrajectoryFiles.Sample> out = new LinkedHashMap<>();
        for (Path file : iterations(run).descendingMap().values()) {
            for (TrajectoryFiles.Sample s : TrajectoryFiles.readSamples(file)) {
                out.putIfAbsent(s.trajectory().taskId(), s);
            }
        }
        return out;
    }

    // ---- helpers ----

    /** The episode's return: its environment step rewards summed. */
    static double episodeReturn(Trajectory t) {
        double sum = 0;
        for (Step s : t.steps()) {
            sum += s.reward();
        }
        return sum;
    }

    /** How every number is shown (tests compare cells with it). */
    public static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String last(Double[] column) {
        for (int i = column.length - 1; i >= 0; i--) {
            if (column[i] != null) {
                return fmt(column[i]);
            }
        }
        return "-";
    }

    private static Integer optionalInt(Map<String, String> q, String name) {
        String v = q.getOrDefault(name, "").trim();
        if (v.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new NotFound(name + " must be a number");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static byte[] html(String title, String body) {
        return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.text(title)
                + "</title><style>body{font-family:sans-serif;margin:16px}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top}pre{margin:0;white-space:pre-wrap}"
                + ".side-by-side{display:flex;gap:16px}.side{flex:1;overflow:auto}.error{color:#b00}</style></head><body>"
                + "<h1>" + Html.text(title) + "</h1>\n" + body + "</body></html>\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void page(HttpExchange exchange, String title, String body) throws IOException {
        send(exchange, 200, "text/html; charset=utf-8", html(title, body), PAGE_POLICY);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body, String policy)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Content-Security-Policy", policy);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
