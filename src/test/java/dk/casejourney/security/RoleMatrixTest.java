package dk.casejourney.security;

import dk.casejourney.LedgerHttpTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;

/**
 * Every endpoint that exists, as every role and without credentials: allowed requests answer as they
 * should, the others 401 or 403 as problem+json, and a refused request records nothing.
 */
class RoleMatrixTest extends LedgerHttpTest {

    private static final List<String> IDENTITIES = Arrays.asList(null, "caseworker", "auditor", "manager", "admin");
    private static final Set<String> EVERYONE = Set.of("caseworker", "auditor", "manager", "admin");
    private static final Set<String> CASE_READERS = Set.of("caseworker", "auditor");
    private static final Set<String> RECORDERS = Set.of("caseworker");

    /** What a request needs to exist before it (a case in the right state), made as the caseworker. */
    @FunctionalInterface
    interface Setup {
        Map<String, String> prepare(RoleMatrixTest test) throws Exception;
    }

    /**
     * @param allowed who may, besides everybody when {@code open}
     * @param open    answers without credentials (health, API description)
     */
    record Endpoint(String name, HttpMethod method, String path, String body, Set<String> allowed, boolean open,
                    int success, Setup setup) {

        MockHttpServletRequestBuilder request(Map<String, String> context) {
            String resolved = path;
            String content = body;
            for (Map.Entry<String, String> entry : context.entrySet()) {
                resolved = resolved.replace("{" + entry.getKey() + "}", entry.getValue());
                content = content == null ? null : content.replace("{" + entry.getKey() + "}", entry.getValue());
            }
            MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(method, resolved);
            return content == null ? request : request.contentType(MediaType.APPLICATION_JSON).content(content);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Map<String, String> openCase(RoleMatrixTest test) throws Exception {
        String cpr = uniqueCpr();
        Map<String, String> context = new HashMap<>();
        context.put("cpr", cpr);
        context.put("caseId", test.openCase(cpr));
        return context;
    }

    private static Map<String, String> withContact(RoleMatrixTest test) throws Exception {
        Map<String, String> context = openCase(test);
        context.put("entryId", test.record(context.get("caseId"), "contacts", CONTACT));
        return context;
    }

    /**
     * A case in the ledger, not awaited in the read models: for requests that write, which the case's aggregate
     * decides (the read models follow a write up to half a second later: docs/benchmarks.md, sixteenth session).
     */
    private static Map<String, String> openedCase(RoleMatrixTest test) throws Exception {
        String cpr = uniqueCpr();
        Map<String, String> context = new HashMap<>();
        context.put("cpr", cpr);
        context.put("caseId", test.postAsCaseworker("/api/cases", openCaseBody(cpr)).get("caseId").asText());
        return context;
    }

    private static Map<String, String> openedWithContact(RoleMatrixTest test) throws Exception {
        Map<String, String> context = openedCase(test);
        context.put("entryId", test.postAsCaseworker("/api/cases/" + context.get("caseId") + "/contacts", CONTACT)
                                   .get("entryId").asText());
        return context;
    }

    private static Map<String, String> resolved(RoleMatrixTest test) throws Exception {
        Map<String, String> context = openedCase(test);
        test.postAsCaseworker("/api/cases/" + context.get("caseId") + "/resolution", RESOLVE);
        return context;
    }

    private static final String CONTACT = """
            {"channel":"PHONE","direction":"INBOUND","unit":"contact-center","purpose":"QUESTION",
             "startedAt":"%s","endedAt":"%s"}""".formatted(at(5), at(15));
    private static final String RESOLVE = """
            {"unit":"contact-center","occurredAt":"%s"}""".formatted(at(60));

    static List<Endpoint> endpoints() {
        Setup none = test -> Map.of("cpr", uniqueCpr());
        Setup open = RoleMatrixTest::openCase;
        Setup opened = RoleMatrixTest::openedCase;
        return List.of(
                new Endpoint("open a case", HttpMethod.POST, "/api/cases", openCaseBody("{cpr}"), RECORDERS, false, 201, none),
                new Endpoint("record a contact", HttpMethod.POST, "/api/cases/{caseId}/contacts", CONTACT, RECORDERS, false, 201, opened),
                new Endpoint("hand over", HttpMethod.POST, "/api/cases/{caseId}/handovers", """
                        {"fromUnit":"contact-center","toUnit":"back-office","reason":"NEEDS_EXPERTISE","occurredAt":"%s"}"""
                        .formatted(at(20)), RECORDERS, false, 201, opened),
                new Endpoint("request information", HttpMethod.POST, "/api/cases/{caseId}/information-requests", """
                        {"informationType":"INCOME","unit":"contact-center","occurredAt":"%s"}""".formatted(at(20)),
                             RECORDERS, false, 201, opened),
                new Endpoint("provide information", HttpMethod.POST, "/api/cases/{caseId}/information", """
                        {"informationType":"INCOME","channel":"EMAIL","unit":"contact-center","occurredAt":"%s"}"""
                        .formatted(at(20)), RECORDERS, false, 201, opened),
                new Endpoint("record work", HttpMethod.POST, "/api/cases/{caseId}/work", """
                        {"unit":"back-office","activity":"assessment","startedAt":"%s","endedAt":"%s"}"""
                        .formatted(at(20), at(40)), RECORDERS, false, 201, opened),
                new Endpoint("record a decision", HttpMethod.POST, "/api/cases/{caseId}/decisions", """
                        {"outcome":"GRANTED","unit":"contact-center","occurredAt":"%s"}""".formatted(at(20)),
                             RECORDERS, false, 201, opened),
                new Endpoint("resolve", HttpMethod.POST, "/api/cases/{caseId}/resolution", RESOLVE, RECORDERS, false, 201, opened),
                new Endpoint("reopen", HttpMethod.POST, "/api/cases/{caseId}/reopenings", """
                        {"reason":"COMPLAINT","unit":"contact-center","occurredAt":"%s"}""".formatted(at(90)),
                             RECORDERS, false, 201, RoleMatrixTest::resolved),
                new Endpoint("record satisfaction", HttpMethod.POST, "/api/cases/{caseId}/satisfaction", """
                        {"score":4,"channel":"PHONE","occurredAt":"%s"}""".formatted(at(20)), RECORDERS, false, 201, opened),
                new Endpoint("correct an entry", HttpMethod.POST, "/api/cases/{caseId}/corrections", """
                        {"correctedEntryId":"{entryId}","reason":"recorded on the wrong case","voidEntry":true,"occurredAt":"%s"}"""
                        .formatted(at(30)), RECORDERS, false, 201, RoleMatrixTest::openedWithContact),
                new Endpoint("read a case", HttpMethod.GET, "/api/cases/{caseId}", null, CASE_READERS, false, 200, open),
                new Endpoint("read a history", HttpMethod.GET, "/api/cases/{caseId}/history", null, CASE_READERS, false, 200, open),
                new Endpoint("read an entry", HttpMethod.GET, "/api/cases/{caseId}/contacts/{entryId}", null, CASE_READERS,
                             false, 200, RoleMatrixTest::withContact),
                new Endpoint("search cases by CPR", HttpMethod.GET, "/api/cases?cpr={cpr}", null, CASE_READERS, false, 200, open),
                new Endpoint("replay a case as of a moment", HttpMethod.GET,
                             "/api/audit/cases/{caseId}?asOf=2030-01-01T00:00:00Z&basis=recorded", null,
                             Set.of("auditor"), false, 200, open),
                new Endpoint("verify a case's chain", HttpMethod.GET, "/api/audit/cases/{caseId}/verification", null,
                             Set.of("auditor"), false, 200, open),
                new Endpoint("read the access log", HttpMethod.GET, "/api/audit/access-log?cpr={cpr}", null,
                             CASE_READERS, false, 200, open),
                new Endpoint("list projections", HttpMethod.GET, "/api/admin/projections", null,
                             Set.of("admin", "auditor"), false, 200, none),
                new Endpoint("verify the ledger", HttpMethod.GET, "/api/admin/ledger/verification", null,
                             Set.of("admin", "auditor"), false, 200, none),
                new Endpoint("export the signed checkpoints", HttpMethod.GET, "/api/admin/ledger/checkpoints", null,
                             Set.of("admin", "auditor"), false, 200, none),
                new Endpoint("sign a checkpoint now", HttpMethod.POST, "/api/admin/ledger/checkpoints", null,
                             Set.of("admin"), false, 201, none),
                new Endpoint("erase a citizen", HttpMethod.POST, "/api/citizens/erasures", """
                        {"cpr":"{cpr}"}""", Set.of("admin"), false, 200, open),
                new Endpoint("per-case figures", HttpMethod.GET, "/api/evaluation/cases?from=2024-01-01&to=2024-12-31",
                             null, Set.of("manager", "auditor"), false, 200, none),
                new Endpoint("export XES", HttpMethod.GET, "/api/exports/xes?from=2024-01-01&to=2024-12-31", null,
                             Set.of("manager", "auditor"), false, 200, none),
                new Endpoint("export OCEL", HttpMethod.GET, "/api/exports/ocel?from=2024-01-01&to=2024-12-31", null,
                             Set.of("manager", "auditor"), false, 200, none),
                new Endpoint("metrics", HttpMethod.GET, "/actuator/metrics", null, Set.of("admin", "auditor"), false, 200, none),
                new Endpoint("health", HttpMethod.GET, "/actuator/health", null, EVERYONE, true, 200, none),
                new Endpoint("API description", HttpMethod.GET, "/v3/api-docs", null, EVERYONE, true, 200, none));
    }

    static Stream<Arguments> everyEndpointAsEveryone() {
        List<Arguments> arguments = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            for (String identity : IDENTITIES) {
                arguments.add(Arguments.of(endpoint, identity == null ? "nobody" : identity));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("everyEndpointAsEveryone")
    void eachRoleReachesExactlyItsPart(Endpoint endpoint, String identity) throws Exception {
        String user = identity.equals("nobody") ? null : identity;
        Map<String, String> context = endpoint.setup().prepare(this);
        long eventsBefore = eventCount();

        MvcResult result = perform(user, endpoint.request(context));

        int status = result.getResponse().getStatus();
        if (endpoint.open() || user != null && endpoint.allowed().contains(user)) {
            assertThat(status).as(result.getResponse().getContentAsString()).isEqualTo(endpoint.success());
            return;
        }
        assertThat(status).isEqualTo(user == null ? 401 : 403);
        assertThat(result.getResponse().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(json.readTree(result.getResponse().getContentAsString()).get("status").asInt()).isEqualTo(status);
        if (user == null) {
            assertThat(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic");
        }
        assertThat(eventCount()).as("events recorded by a refused request").isEqualTo(eventsBefore);
    }

    /** Endpoints other features are building: the rules already keep every other role out. */
    static Stream<Arguments> plannedEndpoints() {
        return Stream.of(
                Arguments.of(HttpMethod.GET, "/api/evaluation/summary", Set.of("manager", "auditor")),
                Arguments.of(HttpMethod.POST, "/api/evaluation/queries", Set.of("manager")),
                Arguments.of(HttpMethod.GET, "/api/exports/xes", Set.of("manager", "auditor")),
                Arguments.of(HttpMethod.POST, "/api/exports", Set.of("manager")),
                Arguments.of(HttpMethod.POST, "/api/imports", Set.of("admin")),
                Arguments.of(HttpMethod.GET, "/api/imports/1", Set.of("admin", "auditor")),
                Arguments.of(HttpMethod.POST, "/api/admin/rebuilds", Set.of("admin")),
                Arguments.of(HttpMethod.DELETE, "/api/cases/some-case", Set.of()),
                Arguments.of(HttpMethod.GET, "/api/unknown", Set.of()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("plannedEndpoints")
    void plannedEndpointsAreClosedToOtherRoles(HttpMethod method, String path, Set<String> allowed) throws Exception {
        for (String user : IDENTITIES) {
            int status = perform(user, MockMvcRequestBuilders.request(method, path)).getResponse().getStatus();
            if (user == null) {
                assertThat(status).as("nobody").isEqualTo(401);
            } else if (allowed.contains(user)) {
                assertThat(status).as(user).isNotIn(401, 403);
            } else {
                assertThat(status).as(user).isEqualTo(403);
            }
        }
    }

    @Test
    void theApiDescriptionSaysHowToSignIn() throws Exception {
        var schemes = json.readTree(perform(null, MockMvcRequestBuilders.get("/v3/api-docs")).getResponse()
                                                                                            .getContentAsString())
                          .path("components").path("securitySchemes");

        assertThat(schemes.path("basic").path("scheme").asText()).isEqualTo("basic");
        assertThat(schemes.path("bearer").path("bearerFormat").asText()).isEqualTo("JWT");
    }

    @Test
    void aWrongPasswordIsRefusedLikeNoCredentials() throws Exception {
        MvcResult result = mvc.perform(MockMvcRequestBuilders.get("/api/cases")
                                                             .with(httpBasic("caseworker", "wrong")))
                              .andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(401);
        assertThat(result.getResponse().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(result.getResponse().getContentAsString()).doesNotContain("wrong");
    }
}
