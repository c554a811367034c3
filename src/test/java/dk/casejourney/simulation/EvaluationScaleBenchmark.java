package dk.casejourney.simulation;

import dk.casejourney.LedgerApplication;
import dk.casejourney.evaluation.api.Dimension;
import dk.casejourney.evaluation.api.EvaluationCriteria;
import dk.casejourney.evaluation.api.EvaluationReport;
import dk.casejourney.evaluation.api.FindEvaluationQuery;
import dk.casejourney.journey.api.AgeBand;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.ServiceArea;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import javax.sql.DataSource;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The evaluation and the dashboard over about 100,000 cases without importing a million events first: fills the
 * journey-figures tables once with synthetic cases (seeded, shaped like the simulator's: ~2.7 contacts, ~1.3
 * handovers, ~0.4 scores and ~0.8 information rows a case; {@code --cases} spread evenly over 2024-01-01..
 * 2025-12-31, so that the first 100,000 cover 57% of the span as in {@link LedgerBenchmark}) into a reusable H2
 * file ({@code --dir}) or PostgreSQL schema ({@code --schema}), then times only the reads: the evaluation through
 * the QueryGateway (cold, then the median of five, each a day earlier so no database cache of an earlier answer
 * helps) and the dashboard's first render through HTTP, signed in through the login form as the demo manager.
 * Not a test; run with
 * {@code mvn -B -Pbench test-compile exec:exec -Dbench.main=dk.casejourney.simulation.EvaluationScaleBenchmark
 * -Dbench.args="--store=h2 --dir=/tmp/evalbench"}; {@code --dump=PREFIX} writes each report's JSON (asOf left
 * out) to PREFIX-grouping.json so that two versions of the query can be compared on the same data.
 */
public final class EvaluationScaleBenchmark {

    private static final LocalDate START = LocalDate.parse("2024-01-01");
    private static final LocalDate END = LocalDate.parse("2025-12-31");
    private static final ZoneId ZONE = ZoneId.of("Europe/Copenhagen");

    private EvaluationScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.isBlank()) {
                String[] pair = arg.replaceFirst("^--", "").split("=", 2);
                options.put(pair[0], pair.length > 1 ? pair[1] : "true");
            }
        }
        String store = options.getOrDefault("store", "h2");
        int cases = Integer.parseInt(options.getOrDefault("cases", "176650"));
        int evaluated = Integer.parseInt(options.getOrDefault("evaluated", "100000"));
        int runs = Integer.parseInt(options.getOrDefault("runs", "5"));
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.main.banner-mode=off", "--logging.level.root=WARN", "--logging.level.dk.casejourney=WARN",
                "--server.port=0", "--ledger.security.allow-demo-users=true",
                // A cold evaluation on a loaded machine may take longer than Axon's 30 s handler timeout.
                "--axon.timeout.enabled=false"));
        if (store.equals("h2")) {
            Path dir = Path.of(options.getOrDefault("dir", "/tmp/evaluation-benchmark-h2"));
            Files.createDirectories(dir);
            arguments.add("--ledger.data-dir=" + dir);
        } else {
            String schema = options.getOrDefault("schema", "evalbench");
            String base = System.getenv().getOrDefault("LEDGER_BENCH_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
            try (Connection c = DriverManager.getConnection(base, "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            }
            arguments.addAll(List.of("--spring.profiles.active=postgres",
                                     "--spring.datasource.url=" + base + "?currentSchema=" + schema,
                                     "--spring.datasource.username=postgres", "--spring.datasource.password="));
        }
        options.forEach((name, value) -> {
            if (name.startsWith("ledger.") || name.startsWith("spring.") || name.startsWith("axon.")) {
                arguments.add("--" + name + "=" + value);
            }
        });
        int exit = 0;
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(LedgerApplication.class)
                .run(arguments.toArray(String[]::new))) {
            DataSource dataSource = app.getBean(DataSource.class);
            fill(dataSource, cases);
            LocalDate to = periodEnd(dataSource, evaluated);
            System.out.printf("%n== %s: %,d cases, evaluating those opened %s..%s; load %s ==%n", store,
                              count(dataSource), START, to, load());
            QueryGateway queries = app.getBean(QueryGateway.class);
            List<List<Dimension>> groupings = options.containsKey("all-groupings")
                    ? List.of(List.of(), List.of(Dimension.CITIZEN_GROUP), List.of(Dimension.MONTH), List.of(Dimension.CHANNEL))
                    : List.of(List.of(), List.of(Dimension.CITIZEN_GROUP));
            for (List<Dimension> groupBy : groupings) {
                EvaluationReport[] report = new EvaluationReport[1];
                String figure = time(runs, run -> {
                    report[0] = queries.query(new FindEvaluationQuery(
                            new EvaluationCriteria(START.minusDays(run), to, Map.of(), groupBy)),
                                              EvaluationReport.class).join();
                    return "";
                });
                if (options.containsKey("dump")) {
                    // The reports (without their asOf) for comparing two versions of the query on the same data.
                    String json = app.getBean(com.fasterxml.jackson.databind.ObjectMapper.class)
                                     .writerWithDefaultPrettyPrinter().writeValueAsString(report[0])
                                     .replaceFirst("\"asOf\" : \"[^\"]*\"", "\"asOf\" : null");
                    Files.writeString(Path.of(options.get("dump") + "-" + (groupBy.isEmpty() ? "all"
                            : groupBy.get(0).parameter()) + ".json"), json);
                }
                long total = report[0].groups().stream().mapToLong(EvaluationReport.Group::cases).sum();
                System.out.printf("%s: evaluation by %-16s %s, %,d cases, %d groups%n", store,
                                  groupBy.isEmpty() ? "nothing" : groupBy.get(0).parameter(), figure, total,
                                  report[0].groups().size());
            }
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            signIn(http, port);
            long[] bytes = new long[1];
            String figure = time(runs, run -> {
                HttpResponse<byte[]> page = get(http, port, "/app/evaluation?from=" + START.minusDays(run) + "&to=" + to);
                if (page.statusCode() != 200) {
                    throw new IllegalStateException("dashboard answered " + page.statusCode());
                }
                bytes[0] = page.body().length;
                return "";
            });
            System.out.printf("%s: dashboard /app/evaluation first render %s, %,d bytes; load %s%n", store, figure,
                              bytes[0], load());
        } catch (Exception | Error e) {
            e.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    /**
     * Cold first run, then the median (and best) of the following runs, each starting one day earlier; beside the
     * wall clock the JVM's CPU time per run (all its threads, H2 included, a PostgreSQL server not), which others'
     * load on the 2 cores changes far less than the wall clock.
     */
    private static String time(int runs, IntFunction<String> request) {
        long started = System.nanoTime();
        request.apply(0);
        long first = (System.nanoTime() - started) / 1_000_000;
        long[] ms = new long[runs];
        long[] cpu = new long[runs];
        for (int i = 0; i < runs; i++) {
            long cpuBefore = jvmCpuNanos();
            started = System.nanoTime();
            request.apply(i + 1);
            ms[i] = (System.nanoTime() - started) / 1_000_000;
            cpu[i] = (jvmCpuNanos() - cpuBefore) / 1_000_000;
        }
        Arrays.sort(ms);
        Arrays.sort(cpu);
        return "median %,d ms (first %,d ms, best %,d ms, all %s), JVM CPU median %,d ms".formatted(
                ms[runs / 2], first, ms[0], Arrays.toString(ms), cpu[runs / 2]);
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void signIn(HttpClient http, int port) throws Exception {
        String form = new String(get(http, port, "/login").body(), StandardCharsets.UTF_8);
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(form);
        if (!csrf.find()) {
            throw new IllegalStateException("no CSRF token on the login form");
        }
        String body = "username=manager&password=manager&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<byte[]> answer = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                           .header("Content-Type", "application/x-www-form-urlencoded")
                           .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 302 || answer.headers().firstValue("Location").orElse("").contains("error")) {
            throw new IllegalStateException("sign-in refused: " + answer.statusCode() + " " + answer.headers().map());
        }
    }

    private static HttpResponse<byte[]> get(HttpClient http, int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                             HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM journey_case")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static LocalDate periodEnd(DataSource dataSource, int evaluated) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT opened_at FROM journey_case ORDER BY opened_at OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY")) {
            s.setInt(1, evaluated - 1);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1).toInstant().atZone(ZONE).toLocalDate() : END;
            }
        }
    }

    /** Synthetic journey figures, written once: a second run on the same file or schema reuses them. */
    private static void fill(DataSource dataSource, int cases) throws Exception {
        if (count(dataSource) >= cases) {
            return;
        }
        long started = System.nanoTime();
        Random random = new Random(42);
        long first = START.atStartOfDay(ZONE).toInstant().toEpochMilli();
        long span = END.plusDays(1).atStartOfDay(ZONE).toInstant().toEpochMilli() - first;
        String[] units = new String[24];
        for (int i = 0; i < units.length; i++) {
            units[i] = "Unit " + (char) ('A' + i);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String table : List.of("journey_case", "journey_contact", "journey_handover",
                                            "journey_satisfaction", "journey_information")) {
                    s.execute("DELETE FROM " + table);
                }
            }
            PreparedStatement caseRow = c.prepareStatement(
                    "INSERT INTO journey_case (case_id, status, as_of, opened_at, resolved_at, citizen_group, age_band, "
                    + "service_area, municipality, entry_unit, first_channel, digital_first, opened_month, "
                    + "opened_quarter, opened_year, lead_ms, lead_business_ms, handling_ms, waiting_citizen_ms, "
                    + "waiting_citizen_business_ms, waiting_municipality_ms, waiting_municipality_business_ms, staff_ms, "
                    + "service_steps, touchpoints, handovers, returns, repeated_information, first_contact_resolution, "
                    + "avoidable_contacts, citizen_pseudonym) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '101', ?, ?, ?, ?, ?, ?, "
                    + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            PreparedStatement contact = c.prepareStatement(
                    "INSERT INTO journey_contact (case_id, position, channel, unit, purpose, avoidable, queue_ms, "
                    + "duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            PreparedStatement handover = c.prepareStatement(
                    "INSERT INTO journey_handover (case_id, position, from_unit, to_unit, delay_ms, delay_business_ms, "
                    + "pending, is_return) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            PreparedStatement score = c.prepareStatement(
                    "INSERT INTO journey_satisfaction (case_id, position, score, channel) VALUES (?, ?, ?, ?)");
            PreparedStatement information = c.prepareStatement(
                    "INSERT INTO journey_information (case_id, information_type, provisions) VALUES (?, ?, ?)");
            Channel[] channels = Channel.values();
            InformationType[] types = InformationType.values();
            for (int n = 0; n < cases; n++) {
                String caseId = "case-%08d".formatted(n);
                Instant opened = Instant.ofEpochMilli(first + span * n / cases + random.nextInt(60_000));
                ZonedDateTime local = opened.atZone(ZONE);
                boolean open = random.nextInt(10) == 0;
                long lead = 3_600_000L + (long) (random.nextDouble() * random.nextDouble() * 60 * 86_400_000L);
                Channel firstChannel = channels[random.nextInt(channels.length)];
                int contacts = 1 + random.nextInt(4);
                int handovers = random.nextInt(3) + (random.nextInt(3) == 0 ? 1 : 0);
                int i = 1;
                caseRow.setString(i++, caseId);
                caseRow.setString(i++, open ? "OPEN" : "RESOLVED");
                caseRow.setTimestamp(i++, Timestamp.from(opened.plusMillis(lead)));
                caseRow.setTimestamp(i++, Timestamp.from(opened));
                caseRow.setTimestamp(i++, open ? null : Timestamp.from(opened.plusMillis(lead)));
                caseRow.setString(i++, CitizenGroup.values()[random.nextInt(CitizenGroup.values().length)].name());
                caseRow.setString(i++, AgeBand.values()[random.nextInt(AgeBand.values().length)].name());
                caseRow.setString(i++, ServiceArea.values()[random.nextInt(ServiceArea.values().length)].name());
                caseRow.setString(i++, units[random.nextInt(units.length)]);
                caseRow.setString(i++, firstChannel.name());
                caseRow.setBoolean(i++, firstChannel == Channel.SELF_SERVICE);
                caseRow.setString(i++, "%d-%02d".formatted(local.getYear(), local.getMonthValue()));
                caseRow.setString(i++, "%d-Q%d".formatted(local.getYear(), (local.getMonthValue() + 2) / 3));
                caseRow.setString(i++, Integer.toString(local.getYear()));
                for (int d = 0; d < 7; d++) {
                    caseRow.setLong(i++, lead / (1 + d));
                }
                caseRow.setLong(i++, random.nextInt(240) * 60_000L);
                caseRow.setInt(i++, 1 + random.nextInt(8));
                caseRow.setInt(i++, contacts);
                caseRow.setInt(i++, handovers);
                caseRow.setInt(i++, random.nextInt(5) == 0 ? 1 : 0);
                caseRow.setInt(i++, random.nextInt(4) == 0 ? 1 : 0);
                caseRow.setBoolean(i++, !open && contacts == 1);
                caseRow.setInt(i++, random.nextInt(contacts + 1));
                caseRow.setString(i, "citizen-" + random.nextInt(Math.max(1, cases * 3 / 4)));
                caseRow.addBatch();
                for (int k = 0; k < contacts; k++) {
                    Channel channel = k == 0 ? firstChannel : channels[random.nextInt(channels.length)];
                    contact.setString(1, caseId);
                    contact.setInt(2, k);
                    contact.setString(3, channel.name());
                    contact.setString(4, units[random.nextInt(units.length)]);
                    contact.setString(5, ContactPurpose.values()[random.nextInt(ContactPurpose.values().length)].name());
                    contact.setBoolean(6, random.nextInt(4) == 0);
                    if (channel == Channel.PHONE || channel == Channel.IN_PERSON) {
                        contact.setLong(7, random.nextInt(1_800_000));
                    } else {
                        contact.setNull(7, java.sql.Types.BIGINT);
                    }
                    contact.setLong(8, random.nextInt(3_600_000));
                    contact.addBatch();
                }
                for (int k = 0; k < handovers; k++) {
                    boolean pending = open && k == handovers - 1;
                    handover.setString(1, caseId);
                    handover.setInt(2, k);
                    handover.setString(3, units[random.nextInt(units.length)]);
                    handover.setString(4, units[random.nextInt(units.length)]);
                    long delay = random.nextInt(864_000_000);
                    if (random.nextInt(8) == 0) {
                        handover.setNull(5, java.sql.Types.BIGINT);
                        handover.setNull(6, java.sql.Types.BIGINT);
                    } else {
                        handover.setLong(5, delay);
                        handover.setLong(6, delay / 3);
                    }
                    handover.setBoolean(7, pending);
                    handover.setBoolean(8, random.nextInt(10) == 0);
                    handover.addBatch();
                }
                if (!open && random.nextInt(5) < 2) {
                    score.setString(1, caseId);
                    score.setInt(2, 0);
                    score.setInt(3, 1 + random.nextInt(5));
                    score.setString(4, channels[random.nextInt(channels.length)].name());
                    score.addBatch();
                }
                int given = random.nextInt(3) == 0 ? 0 : random.nextInt(3);
                for (int k = 0; k < given; k++) {
                    information.setString(1, caseId);
                    information.setString(2, types[(n + k) % types.length].name());
                    information.setInt(3, 1 + (random.nextInt(4) == 0 ? 1 : 0));
                    information.addBatch();
                }
                if (n % 2000 == 1999 || n == cases - 1) {
                    for (PreparedStatement s : List.of(caseRow, contact, handover, score, information)) {
                        s.executeBatch();
                    }
                    c.commit();
                }
            }
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // Written past the projection: a new generation, so that the evaluation's copy reads them all.
            s.executeUpdate("UPDATE journey_figures_version SET version = version + 1, generation = generation + 1 "
                                    + "WHERE id = 1");
        }
        System.out.printf("filled %,d synthetic cases in %.1f s%n", cases, (System.nanoTime() - started) / 1e9);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }
}
