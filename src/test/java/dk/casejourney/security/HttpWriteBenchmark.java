package dk.casejourney.security;

import dk.casejourney.LedgerApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Live writes through HTTP with the documented sign-in (HTTP Basic, the demo caseworker) on the embedded
 * default: 1 and then 8 keep-alive clients, each appending contacts to a case of its own for
 * {@code --seconds=N} (default 20) after {@code --warm-up=N} seconds (default 10) with 8 clients. Prints requests/s,
 * p50/p99 latency and the CPU per request of the request threads and of the projections. A main class,
 * not a test. Run:
 * {@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dk.casejourney.security.HttpWriteBenchmark -Dexec.args="--seconds=20"}; add
 * {@code --ledger.security.sign-in.verified-password-ttl=PT0S} to the args to measure bcrypt on every request
 * (the behaviour before verified passwords were remembered).
 */
public final class HttpWriteBenchmark {

    private static final String T0 = "2024-03-01T09:00:00Z";
    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("caseworker:caseworker".getBytes(StandardCharsets.UTF_8));

    private HttpWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = intOption(args, "--seconds=", 20);
        int warmUp = intOption(args, "--warm-up=", 10);
        Path dataDir = Files.createTempDirectory("http-bench");
        List<String> springArgs = new ArrayList<>(List.of("--server.port=0", "--ledger.data-dir=" + dataDir,
                                                          "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
        Arrays.stream(args).filter(arg -> !arg.startsWith("--seconds=") && !arg.startsWith("--warm-up="))
              .forEach(springArgs::add);
        try (ConfigurableApplicationContext ledger = new SpringApplicationBuilder(LedgerApplication.class)
                .run(springArgs.toArray(String[]::new))) {
            int port = ((WebServerApplicationContext) ledger).getWebServer().getPort();
            String base = "http://127.0.0.1:" + port + "/api/cases";
            System.out.printf("load average at start: %.2f; cores: %d%n",
                              java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                              Runtime.getRuntime().availableProcessors());
            signInCost(ledger);
            // Warm-up with 8 clients: the JIT compiles the write path before anything is measured.
            run(base, 8, warmUp, false);
            for (int clients : new int[]{1, 8}) {
                run(base, clients, seconds, true);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static int intOption(String[] args, String prefix, int otherwise) {
        return Arrays.stream(args).filter(arg -> arg.startsWith(prefix))
                     .map(arg -> Integer.parseInt(arg.substring(prefix.length()))).findFirst().orElse(otherwise);
    }

    /**
     * CPU time of the Java threads whose name starts with the prefix (not the JIT compiler's or the collector's),
     * e.g. Tomcat's request threads: what serving the requests itself cost, whatever else the machine runs.
     */
    private static long threadsCpuNanos(String prefix) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
                     .filter(info -> info != null && info.getThreadName().startsWith(prefix))
                     .mapToLong(info -> threads.getThreadCpuTime(info.getThreadId())).filter(t -> t > 0).sum();
    }

    /** Thread CPU time of one sign-in check: bcrypt against the remembered verification (load-independent). */
    private static void signInCost(ConfigurableApplicationContext ledger) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        String hash = ledger.getBean(SecurityProperties.class).users().get("caseworker").passwordHash();
        org.springframework.security.crypto.password.PasswordEncoder bcrypt = UserConfiguration.passwordEncoder();
        org.springframework.security.crypto.password.PasswordEncoder bean =
                ledger.getBean(org.springframework.security.crypto.password.PasswordEncoder.class);
        bcrypt.matches("caseworker", hash);
        long started = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < 10; i++) {
            bcrypt.matches("caseworker", hash);
        }
        double bcryptMillis = (threads.getCurrentThreadCpuTime() - started) / 1e6 / 10;
        for (int i = 0; i < 100_000; i++) {
            bean.matches("caseworker", hash);
        }
        started = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < 100_000; i++) {
            bean.matches("caseworker", hash);
        }
        double beanMicros = (threads.getCurrentThreadCpuTime() - started) / 1e3 / 100_000;
        System.out.printf("CPU per sign-in check: bcrypt %.1f ms; the PasswordEncoder bean (%s) %.2f us%n",
                          bcryptMillis, bean, beanMicros);
    }

    private static void run(String base, int clients, int seconds, boolean print) throws Exception {
        List<long[]> latencies = new ArrayList<>();
        AtomicLong failures = new AtomicLong();
        CountDownLatch done = new CountDownLatch(clients);
        long[] counts = new long[clients];
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long requestCpuBefore = threadsCpuNanos("http-nio");
        long projectionCpuBefore = threadsCpuNanos("WorkPackage");
        long started = System.nanoTime();
        long end = started + Duration.ofSeconds(seconds).toNanos();
        for (int c = 0; c < clients; c++) {
            int client = c;
            long[] own = new long[2_000_000];
            latencies.add(own);
            Thread thread = new Thread(() -> {
                // One HttpClient per client: one keep-alive connection each, like one browser or integration.
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                try {
                    String caseId = openCase(http, base, client);
                    int minute = 1;
                    while (System.nanoTime() < end && counts[client] < own.length) {
                        String at = Instant.parse(T0).plus(Duration.ofMinutes(minute++)).toString();
                        HttpRequest request = post(base + "/" + caseId + "/contacts", """
                                {"channel":"PHONE","direction":"INBOUND","unit":"contact-center","purpose":"QUESTION",
                                 "startedAt":"%s","endedAt":"%s"}""".formatted(at, at));
                        long before = System.nanoTime();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        own[(int) counts[client]++] = System.nanoTime() - before;
                        if (response.statusCode() != 201) {
                            failures.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                    e.printStackTrace();
                } finally {
                    done.countDown();
                }
            });
            thread.start();
        }
        done.await();
        double elapsed = (System.nanoTime() - started) / 1e9;
        // CPU time of the whole process (server and clients) per request: unlike requests/s, it does not depend on
        // what else the machine runs, and cores / CPU per request bounds what the machine could serve.
        double cpuMillisPerRequest = (os.getProcessCpuTime() - cpuBefore) / 1e6;
        double requestCpuMillis = (threadsCpuNanos("http-nio") - requestCpuBefore) / 1e6;
        double projectionCpuMillis = (threadsCpuNanos("WorkPackage") - projectionCpuBefore) / 1e6;
        long total = Arrays.stream(counts).sum();
        long[] all = new long[(int) total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies.get(c), 0, all, at, (int) counts[c]);
            at += (int) counts[c];
        }
        Arrays.sort(all);
        if (print && total > 0) {
            cpuMillisPerRequest /= total;
            requestCpuMillis /= total;
            projectionCpuMillis /= total;
            System.out.printf("HTTP POST contacts, %d keep-alive client(s), %d s: %,.0f requests/s, p50 %.1f ms, "
                                      + "p99 %.1f ms, %d requests, %d not 201; process CPU %.2f ms per request, "
                                      + "of which Tomcat's request threads %.2f ms and the projections %.2f ms "
                                      + "(bound on %d idle cores: %,.0f requests/s); load average %.1f%n",
                              clients, seconds, total / elapsed, all[(int) (total * 0.50)] / 1e6,
                              all[(int) Math.min(total - 1, total * 0.99)] / 1e6, total, failures.get(),
                              cpuMillisPerRequest, requestCpuMillis, projectionCpuMillis, Runtime.getRuntime().availableProcessors(),
                              Runtime.getRuntime().availableProcessors() * 1000 / cpuMillisPerRequest,
                              os.getSystemLoadAverage());
        }
    }

    private static String openCase(HttpClient http, String base, int client) throws Exception {
        String cpr = String.format("%02d0185%04d", 1 + client % 28, 1000 + client + (int) (System.nanoTime() % 8000));
        HttpResponse<String> response = http.send(post(base, """
                {"cpr":"%s","citizenGroup":"ELDERLY","serviceArea":"PASSPORT","municipality":"101",
                 "channel":"PHONE","unit":"contact-center","occurredAt":"%s"}""".formatted(cpr, T0)),
                                                  HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("opening a case answered " + response.statusCode() + ": " + response.body());
        }
        String body = response.body();
        int start = body.indexOf("\"caseId\":\"") + 10;
        return body.substring(start, body.indexOf('"', start));
    }

    private static HttpRequest post(String uri, String body) {
        return HttpRequest.newBuilder(URI.create(uri)).header("Authorization", AUTH)
                          .header("Content-Type", "application/json")
                          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
