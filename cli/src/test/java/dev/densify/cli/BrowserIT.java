package dev.densify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.core.ablate.Ablation;
import dev.densify.core.ablate.Variant;
import dev.densify.core.report.AblationReport;
import dev.densify.core.report.Html;
import dev.densify.core.report.RunBrowser;
import dev.densify.core.train.Confidence;
import dev.densify.core.train.TrajectoryFiles;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.logging.Level;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The reports and the trajectory browser in a real headless Chromium (Debian's chromium and chromium-driver),
 * on runs made by the packaged command line: a tiny gridworld training, and a training on an environment whose
 * texts are HTML and JavaScript payloads. {@code densify view} serves them as a separate process.
 */
class BrowserIT {
    private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
    private static final Path DENSIFY_JAR = BASEDIR.resolve("target/densify.jar");
    private static final Path SCREENSHOTS = BASEDIR.resolve("target/screenshots");
    private static final List<String> SMALL = List.of("policy.preset=micro", "trainer.iterations=2",
            "trainer.episodes_per_iteration=8", "trainer.group_size=4", "trainer.eval_every=1",
            "trainer.eval_episodes=8", "trainer.mini_batch=32", "trainer.sample_trajectories=8",
            "trainer.checkpoint_every=0");
    private static final List<String> PAYLOADS = List.of("window.__pwned", "<script>", "<img src=x", "</script>");

    @TempDir
    static Path work;

    private static Path runs;
    private static Process view;
    private static URI url;
    private static ChromeDriver driver;

    @BeforeAll
    static void trainServeAndOpenABrowser() throws Exception {
        assertTrue(Files.isRegularFile(DENSIFY_JAR), DENSIFY_JAR + " is missing: integration tests run after package");
        runs = Files.createDirectories(work.resolve("runs"));
        List<String> grid = new ArrayList<>(List.of("train", "--run-dir", runs.resolve("grid").toString(), "env.size=5",
                "env.key_door_pairs=0", "env.train_tasks=8", "env.held_out_tasks=4", "env.harder_tasks=0",
                "trainer.warm_start_episodes=16", "trainer.warm_start_epochs=2"));
        grid.addAll(SMALL);
        densify(grid);
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        buildFixtureJar(BASEDIR.resolve("src/test/fixtures/payload"), plugins.resolve("payload-env.jar"));
        List<String> payload = new ArrayList<>(List.of("--plugin-path", plugins.toString(), "train", "--run-dir",
                runs.resolve("payload").toString(), "env=payload", "trainer.warm_start_episodes=0"));
        payload.addAll(SMALL);
        densify(payload);
        annotatedCopy(runs.resolve("grid"), runs.resolve("grid-annotated"));
        ablationFolder(runs.resolve("ablate-1"));

        List<String> command = javaCommand();
        command.addAll(List.of("view", runs.toString()));
        view = new ProcessBuilder(command).redirectError(work.resolve("view.err").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(view.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertNotNull(line, "densify view printed nothing: " + Files.readString(work.resolve("view.err")));
        url = URI.create(line.replaceAll("^densify view: (\\S+).*$", "$1"));
        assertEquals("127.0.0.1", url.getHost(), line);

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", "--user-data-dir=" + Files.createDirectories(work.resolve("chromium")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (driver != null) {
            driver.quit();
        }
        if (view != null) {
            view.destroy();
            view.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void clickingThroughToAnEpisodeShowsTheStepsOfTheTrajectoryFile() throws Exception {
        driver.get(url.toString());
        driver.findElement(By.linkText("grid")).click();
        driver.findElement(By.linkText("0")).click();
        List<WebElement> rows = driver.findElements(By.cssSelector("#episodes tr.episode"));
        List<TrajectoryFiles.Sample> file = TrajectoryFiles.readSamples(
                runs.resolve("grid/trajectories/iter-00000.jsonl.gz"));
        assertEquals(file.size(), rows.size());
        rows.get(1).findElement(By.cssSelector("a.episode-link")).click();
        Trajectory expected = file.get(1).trajectory();
        assertEquals(expected.id(), text(driver.findElement(By.cssSelector("td.episode-id"))));
        assertEquals(expected.taskId(), text(driver.findElement(By.cssSelector("table.meta td.task"))));
        // The trainer stores each step's V(s), dense reward and advantage: the page shows exactly those.
        assertSteps(expected, file.get(1).values(), driver.findElements(By.cssSelector("tr.step")));
        screenshot("browser-episode.png");
    }

    @Test
    void valuesDenseRewardsAndAdvantagesOfTheFileAreShownPerStep() throws Exception {
        driver.get(url.resolve("/episodes?run=grid-annotated&iter=1").toString());
        driver.findElement(By.cssSelector("#episodes tr.episode a.episode-link")).click();
        TrajectoryFiles.Sample expected = TrajectoryFiles.readSamples(
                runs.resolve("grid-annotated/trajectories/iter-00001.jsonl.gz")).get(0);
        assertTrue(expected.values().values().length > 0);
        assertSteps(expected.trajectory(), expected.values(), driver.findElements(By.cssSelector("tr.step")));
    }

    @Test
    void episodesFilterBySuccessAndLengthAndSortByReturn() throws Exception {
        List<TrajectoryFiles.Sample> file = TrajectoryFiles.readSamples(
                runs.resolve("grid/trajectories/iter-00001.jsonl.gz"));
        int shortest = file.stream().mapToInt(s -> s.trajectory().length()).min().orElseThrow();
        driver.get(url.resolve("/episodes?run=grid&iter=1").toString());
        driver.findElement(By.name("max_length")).sendKeys(Integer.toString(shortest));
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.name("sort"))).selectByVisibleText("return_desc");
        driver.findElement(By.cssSelector("#filter button")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("max_length="));
        List<WebElement> lengths = driver.findElements(By.cssSelector("#episodes td.length"));
        assertEquals(file.stream().filter(s -> s.trajectory().length() <= shortest).count(), lengths.size());
        lengths.forEach(l -> assertTrue(Integer.parseInt(text(l)) <= shortest));
        List<Double> returns = driver.findElements(By.cssSelector("#episodes td.return")).stream()
                .map(e -> Double.parseDouble(text(e))).toList();
        for (int i = 1; i < returns.size(); i++) {
            assertTrue(returns.get(i - 1) >= returns.get(i), returns.toString());
        }
        for (String success : List.of("yes", "no")) {
            driver.get(url.resolve("/episodes?run=grid&iter=1&success=" + success).toString());
            long expected = file.stream().filter(s -> s.trajectory().outcome().success() == success.equals("yes")).count();
            List<WebElement> cells = driver.findElements(By.cssSelector("#episodes td.success"));
            assertEquals(expected, cells.size());
            cells.forEach(c -> assertEquals(success, text(c)));
        }
    }

    @Test
    void twoRunsSideBySideOnTheSameTask() throws Exception {
        driver.get(url.resolve("/compare?a=grid&b=grid-annotated").toString());
        List<WebElement> tasks = driver.findElements(By.cssSelector("#shared-tasks a"));
        assertFalse(tasks.isEmpty());
        String task = text(tasks.get(0));
        tasks.get(0).click();
        List<WebElement> sides = driver.findElements(By.cssSelector(".side"));
        assertEquals(2, sides.size());
        for (WebElement side : sides) {
            assertEquals(task, text(side.findElement(By.cssSelector("table.meta td.task"))));
            assertFalse(side.findElements(By.cssSelector("tr.step")).isEmpty());
        }
        screenshot("browser-compare.png");
    }

    @Test
    void theReportDrawsItsChartsWithoutErrorsFromTheFileAndFromTheServer() throws Exception {
        for (String page : List.of(runs.resolve("grid/report.html").toUri().toString(),
                url.resolve("/files/grid/report.html").toString())) {
            driver.get(page);
            int charts = driver.findElements(By.cssSelector("#charts .chart")).size();
            assertTrue(charts >= 10, "charts: " + charts);
            assertEquals(charts, driver.findElements(By.cssSelector("#charts .chart canvas")).size());
            assertEquals(Integer.toString(charts), driver.findElement(By.tagName("body")).getAttribute("data-charts-drawn"));
            assertNoConsoleErrors(page);
        }
        driver.get(runs.resolve("grid/report.html").toUri().toString());
        screenshot("report.png");
        driver.get(url.resolve("/files/grid/plots/success.png").toString());
        assertEquals("image/png", contentType(url.resolve("/files/grid/plots/success.png")));
    }

    @Test
    void theAblationReportDrawsTheVariantsCurvesAndIsListed() throws Exception {
        driver.get(url.toString());
        driver.findElement(By.cssSelector("a.ablation")).click();
        assertEquals(2, driver.findElements(By.cssSelector("#charts .chart canvas")).size());
        assertEquals("2", driver.findElement(By.tagName("body")).getAttribute("data-charts-drawn"));
        String legend = driver.findElement(By.cssSelector("#chart-heldout_by_episodes .u-legend")).getText();
        assertTrue(legend.contains("sparse") && legend.contains("dense"), legend);
        assertEquals(3, driver.findElements(By.cssSelector("#variants tr")).size());
        assertNoConsoleErrors("ablation.html");
        screenshot("ablation.png");
    }

    @Test
    void noPayloadRunsOnAnyPage() throws Exception {
        List<String> pages = new ArrayList<>(List.of(url.toString(), url.resolve("/run?run=payload").toString(),
                url.resolve("/episodes?run=payload&iter=0").toString(),
                url.resolve("/episodes?run=payload&iter=1&task=%3Csvg").toString(),
                url.resolve("/compare?a=payload&b=grid").toString(),
                url.resolve("/files/payload/report.html").toString(),
                runs.resolve("payload/report.html").toUri().toString()));
        driver.get(url.resolve("/episodes?run=payload&iter=0").toString());
        int episodes = driver.findElements(By.cssSelector("a.episode-link")).size();
        assertTrue(episodes > 0);
        for (int e = 0; e < episodes; e++) {
            pages.add(url.resolve("/episode?run=payload&iter=0&ep=" + e).toString());
        }
        driver.get(url.resolve("/compare?a=payload&b=grid").toString());
        driver.findElements(By.cssSelector("#shared-tasks a")).forEach(a -> pages.add(a.getAttribute("href")));
        for (String page : pages) {
            driver.get(page);
            assertNoAlert(page);
            Object pwned = driver.executeScript("return window.__pwned === undefined ? null : String(window.__pwned)");
            assertEquals(null, pwned, page);
            assertEquals(0L, driver.executeScript("return document.querySelectorAll('img, svg, iframe').length"), page);
            if (page.contains("report.html")) {
                assertEquals(3L, driver.executeScript("return document.scripts.length"), page);
                assertTrue(driver.findElement(By.id("config")).getText().contains("</script><script>window.__pwned"));
            } else {
                assertEquals(0L, driver.executeScript("return document.scripts.length"), page);
            }
        }
        driver.get(url.resolve("/episode?run=payload&iter=0&ep=0").toString());
        String shown = driver.findElement(By.cssSelector("pre.obs")).getText();
        for (String payload : PAYLOADS) {
            assertTrue(shown.contains(payload), "the payload is shown as text: " + shown);
        }
        assertTrue(text(driver.findElement(By.cssSelector("table.meta td.task"))).startsWith("t"));
        screenshot("browser-payload.png");
    }

    @Test
    void nothingOutsideTheRunFoldersIsServed() throws Exception {
        Files.writeString(work.resolve("secret.txt"), "secret");
        Files.writeString(runs.resolve("grid/report.html.bak"), "secret");
        for (String path : List.of("/files/../secret.txt", "/files/%2e%2e/secret.txt", "/files/grid/../../secret.txt",
                "/files/grid/%2e%2e/%2e%2e/secret.txt", "/files/grid/config.yaml", "/files/grid/report.html.bak",
                "/files/grid/plots/../../../secret.txt", "/files//etc/passwd", "/files/grid/plots/..%2f..%2fsecret.txt",
                "/run?run=..", "/run?run=../runs/grid", "/run?run=/etc", "/episodes?run=grid&iter=-1",
                "/episode?run=grid&iter=0&ep=999", "/etc/passwd", "/files/" + work.resolve("secret.txt"))) {
            int status = status(url.resolve(path.replace(" ", "%20")));
            assertEquals(404, status, path);
        }
        assertEquals(200, status(url.resolve("/files/grid/report.html")));
        assertEquals(405, statusOf("POST", url.resolve("/")));
    }

    // ---- helpers ----

    private static void assertSteps(Trajectory expected, TrajectoryFiles.StepValues values, List<WebElement> rows) {
        assertEquals(expected.length(), rows.size());
        for (int t = 0; t < rows.size(); t++) {
            Step step = expected.steps().get(t);
            WebElement row = rows.get(t);
            assertEquals(Html.shown(step.observation()), row.findElement(By.cssSelector("pre.obs")).getAttribute("textContent"));
            assertEquals(Html.shown(step.rendered()), row.findElement(By.cssSelector("pre.render")).getAttribute("textContent"));
            assertEquals(Html.shown(step.action()), row.findElement(By.cssSelector("pre.action")).getAttribute("textContent"));
            assertEquals(RunBrowser.fmt(step.reward()), text(row.findElement(By.cssSelector("td.reward"))));
            StringBuilder tokens = new StringBuilder();
            for (int k = 0; k < step.actionTokenIds().length; k++) {
                tokens.append(k == 0 ? "" : " ").append(step.actionTokenIds()[k]).append(": ")
                        .append(RunBrowser.fmt(step.actionLogProbs()[k]));
            }
            assertEquals(tokens.toString(), text(row.findElement(By.cssSelector("td.tokens"))));
            assertEquals(RunBrowser.fmt(TrajectoryFiles.StepValues.at(values.values(), t)),
                    text(row.findElement(By.cssSelector("td.value"))));
            assertEquals(RunBrowser.fmt(TrajectoryFiles.StepValues.at(values.denseRewards(), t)),
                    text(row.findElement(By.cssSelector("td.dense"))));
            assertEquals(RunBrowser.fmt(TrajectoryFiles.StepValues.at(values.advantages(), t)),
                    text(row.findElement(By.cssSelector("td.advantage"))));
        }
    }

    private static String text(WebElement e) {
        return e.getAttribute("textContent");
    }

    private static void assertNoAlert(String page) {
        try {
            String alert = driver.switchTo().alert().getText();
            throw new AssertionError("an alert ran on " + page + ": " + alert);
        } catch (NoAlertPresentException expected) {
            // nothing ran
        }
    }

    private static void assertNoConsoleErrors(String page) {
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(e -> !e.getMessage().contains("favicon.ico")).toList();
        assertTrue(errors.isEmpty(), page + ": " + errors);
    }

    private static void screenshot(String name) throws IOException {
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static int status(URI uri) throws IOException {
        return statusOf("GET", uri);
    }

    private static int statusOf(String method, URI uri) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setRequestMethod(method);
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    private static String contentType(URI uri) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        try {
            return c.getContentType();
        } finally {
            c.disconnect();
        }
    }

    /** An ablation folder as {@code densify ablate} writes it (ablation.json, summary.txt), and its report. */
    private static void ablationFolder(Path dir) throws IOException {
        Ablation.Report report = new Ablation.Report(List.of(0L, 1L, 2L), 0.4, 0.2, List.of(
                variant("sparse", "shaper=none", 0.0, 0.4, 0.4, 64, new double[] {0.35, 0.45, 0.4}),
                variant("dense", "shaper=potential", 0.0, 0.6, 0.6, 32, new double[] {0.55, 0.65, 0.6})));
        Files.createDirectories(dir);
        new ObjectMapper().writeValue(dir.resolve("ablation.json").toFile(), report.toMap());
        Files.writeString(dir.resolve("summary.txt"), report.summary(), StandardCharsets.UTF_8);
        AblationReport.write(dir);
    }

    private static Ablation.VariantResult variant(String name, String override, double start, double mid, double end,
                                                  long reach, double[] perSeed) {
        List<Ablation.CurvePoint> curve = List.of(
                new Ablation.CurvePoint(-1, 0, new Confidence.Interval(0.2, 0.1, 0.3)),
                new Ablation.CurvePoint(1, 32, new Confidence.Interval(start + mid / 2, mid / 2, mid)),
                new Ablation.CurvePoint(3, 64, new Confidence.Interval(end, end - 0.1, end + 0.1)));
        return new Ablation.VariantResult(new Variant(name, List.of(override)), curve,
                new Confidence.Interval(end, end - 0.1, end + 0.1), perSeed, new Confidence.Interval(0.6, 0.5, 0.7),
                reach, new Confidence.Interval(end - 0.4, end - 0.5, end - 0.3), 100);
    }

    /** A copy of a run whose trajectory files also carry per-step values, as the trainer's new writer stores them. */
    private static void annotatedCopy(Path from, Path to) throws IOException {
        Files.createDirectories(to.resolve("trajectories"));
        for (String name : List.of("config.yaml", "metrics.jsonl")) {
            Files.copy(from.resolve(name), to.resolve(name));
        }
        try (Stream<Path> files = Files.list(from.resolve("trajectories"))) {
            for (Path file : files.toList()) {
                List<Trajectory> trajectories = TrajectoryFiles.read(file);
                List<TrajectoryFiles.StepValues> values = new ArrayList<>();
                for (Trajectory t : trajectories) {
                    double[] v = new double[t.length() + 1];
                    double[] dense = new double[t.length()];
                    double[] advantage = new double[t.length()];
                    for (int s = 0; s < t.length(); s++) {
                        v[s] = 0.5 + s / 64.0;
                        dense[s] = t.steps().get(s).reward() - s / 128.0;
                        advantage[s] = s % 3 == 2 ? Double.NaN : -0.25 + s / 32.0;
                    }
                    values.add(new TrajectoryFiles.StepValues(v, dense, advantage));
                }
                TrajectoryFiles.write(to.resolve("trajectories").resolve(file.getFileName()), trajectories, values);
            }
        }
    }

    private static List<String> javaCommand() {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-jar", DENSIFY_JAR.toString()));
    }

    private static void densify(List<String> args) throws IOException, InterruptedException {
        List<String> command = javaCommand();
        command.addAll(args);
        Path log = Files.createTempFile(work, "densify", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "densify " + args + " did not finish");
        assertEquals(0, p.exitValue(), () -> "densify " + args + ":\n" + read(log));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Compiles a fixture against sdk-api alone and jars it with its resources, as a third party would. */
    private static void buildFixtureJar(Path source, Path jarFile) throws IOException {
        Path classes = Files.createDirectories(work.resolve("fixture-classes"));
        List<Path> sources;
        try (Stream<Path> files = Files.walk(source)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        String sdkApi;
        try {
            sdkApi = Path.of(EnvironmentProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            boolean ok = javac.getTask(null, files, diagnostics,
                    List.of("--release", "17", "-proc:none", "-classpath", sdkApi, "-d", classes.toString()),
                    null, files.getJavaFileObjectsFromPaths(sources)).call();
            assertTrue(ok, () -> "the fixture does not compile: " + diagnostics.getDiagnostics());
        }
        Map<String, Path> entries = new TreeMap<>();
        for (Path root : List.of(classes, source)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> Files.isRegularFile(p) && !p.toString().endsWith(".java"))
                        .forEach(p -> entries.put(root.relativize(p).toString().replace('\\', '/'), p));
            }
        }
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(jarFile))) {
            for (Map.Entry<String, Path> entry : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(entry.getKey()));
                jar.write(Files.readAllBytes(entry.getValue()));
                jar.closeEntry();
            }
        }
    }
}
