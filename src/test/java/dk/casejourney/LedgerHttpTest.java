package dk.casejourney;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.autoconfigure.web.servlet.MockMvcPrint;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The whole application over MockMvc with the demo users, on an in-memory database of its own. Test
 * classes extending it share one application context; one that adds properties gets a context of its own, and
 * with it a database of its own (the name ends in a random id, drawn once when the context binds its data
 * source): two contexts on one database ran two sets of processors, and a test that reset a read model's tokens
 * found them claimed by the other context's (seen when the suite ran SignInThrottleTest before CitizenErasureTest).
 */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:ledger-http-${random.uuid};MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "ledger.processors.initial-segment-count=1"})
@AutoConfigureMockMvc(print = MockMvcPrint.NONE)
public abstract class LedgerHttpTest {

    /** Opening time of the cases the tests record; everything else happens minutes later. */
    protected static final String T0 = "2024-03-01T09:00:00Z";
    private static final AtomicInteger CITIZENS = new AtomicInteger();

    @Autowired
    protected MockMvc mvc;
    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected ObjectMapper json;

    /** A CPR number no other test uses (valid date, 1984). */
    protected static String uniqueCpr() {
        int n = CITIZENS.incrementAndGet();
        return String.format("%02d%02d84%04d", 1 + n % 28, 1 + (n / 28) % 12, 1000 + n);
    }

    protected static String at(int minutes) {
        return Instant.parse(T0).plus(Duration.ofMinutes(minutes)).toString();
    }

    protected static String openCaseBody(String cpr) {
        return """
               {"cpr":"%s","citizenGroup":"ELDERLY","serviceArea":"PASSPORT","municipality":"101",
                "channel":"PHONE","unit":"contact-center","occurredAt":"%s"}""".formatted(cpr, T0);
    }

    protected static MockHttpServletRequestBuilder as(String user, MockHttpServletRequestBuilder request) {
        return user == null ? request : request.with(httpBasic(user, user));
    }

    protected MvcResult perform(String user, MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(as(user, request)).andReturn();
    }

    protected JsonNode postAsCaseworker(String path, String body) throws Exception {
        MvcResult result = perform("caseworker", post(path).contentType(MediaType.APPLICATION_JSON).content(body));
        if (result.getResponse().getStatus() != 201) {
            throw new AssertionError("POST " + path + " answered " + result.getResponse().getStatus() + ": "
                    + result.getResponse().getContentAsString());
        }
        return json.readTree(result.getResponse().getContentAsString());
    }

    /** Opens a case as the caseworker and waits until the case views show it. */
    protected String openCase(String cpr) throws Exception {
        JsonNode recorded = postAsCaseworker("/api/cases", openCaseBody(cpr));
        awaitEntry(recorded.get("caseId").asText(), recorded.get("entryId").asText());
        return recorded.get("caseId").asText();
    }

    /** Records an entry as the caseworker, waits until the history shows it and answers its id. */
    protected String record(String caseId, String collection, String body) throws Exception {
        JsonNode recorded = postAsCaseworker("/api/cases/" + caseId + "/" + collection, body);
        awaitEntry(caseId, recorded.get("entryId").asText());
        return recorded.get("entryId").asText();
    }

    protected void awaitEntry(String caseId, String entryId) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
               .until(() -> jdbc.sql("SELECT COUNT(*) FROM case_history WHERE case_id = ? AND entry_id = ?")
                                .params(caseId, entryId).query(Long.class).single() == 1);
    }

    protected long eventCount() {
        return jdbc.sql("SELECT COUNT(*) FROM domain_event_entry").query(Long.class).single();
    }

    protected JsonNode getAs(String user, String path) throws Exception {
        MvcResult result = perform(user, get(path));
        if (result.getResponse().getStatus() != 200) {
            throw new AssertionError("GET " + path + " as " + user + " answered " + result.getResponse().getStatus());
        }
        return json.readTree(result.getResponse().getContentAsString());
    }
}
