package dk.casejourney.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.HandOverCaseCommand;
import dk.casejourney.journey.api.HandoverReason;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.RecordContactCommand;
import dk.casejourney.journey.api.RecordWorkCommand;
import dk.casejourney.journey.api.ResolveCaseCommand;
import dk.casejourney.journey.api.ServiceArea;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The journey and evaluation endpoints over the real command path and the embedded store. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JourneyAndEvaluationHttpTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", () -> dataDir.toString());
    }

    @Autowired
    CommandGateway commands;
    @Autowired
    TestRestTemplate http;
    @Autowired
    ObjectMapper json;

    private static Instant apr9(int hour, int minute) {
        return LocalDateTime.of(2024, 4, 9, hour, minute).atZone(ZoneId.of("Europe/Copenhagen")).toInstant();
    }

    private void open(String caseId, String cpr) {
        commands.sendAndWait(new OpenCaseCommand(caseId, "o", cpr, CitizenGroup.ELDERLY, ServiceArea.PENSION, "101",
                                                 Channel.PHONE, "KBH-KC", apr9(9, 0)));
        commands.sendAndWait(new RecordContactCommand(caseId, "k", Channel.PHONE, Direction.INBOUND, "KBH-KC", null,
                                                      ContactPurpose.APPLICATION, apr9(8, 57), apr9(9, 0), apr9(9, 10)));
    }

    private ResponseEntity<String> get(String user, String path, String accept) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBasicAuth(user, user);
        headers.set(HttpHeaders.ACCEPT, accept);
        return http.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class);
    }

    @Test
    void journeyAndEvaluationAsJsonAndCsv() throws Exception {
        open("http-1", "0101401234");
        commands.sendAndWait(new HandOverCaseCommand("http-1", "h", "KBH-KC", "KBH-PO", HandoverReason.AUTHORITY_ELSEWHERE,
                                                     null, apr9(9, 15)));
        commands.sendAndWait(new RecordWorkCommand("http-1", "w", "KBH-PO", null, "assessment", apr9(10, 0), apr9(11, 0)));
        commands.sendAndWait(new ResolveCaseCommand("http-1", "r", "KBH-PO", apr9(11, 0)));
        open("http-2", "0202451234");

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            ResponseEntity<String> response = get("caseworker", "/api/cases/http-1/journey", "application/json");
            return response.getStatusCode() == HttpStatus.OK
                    && json.readTree(response.getBody()).get("status").asText().equals("RESOLVED");
        });
        JsonNode journey = json.readTree(get("caseworker", "/api/cases/http-1/journey", "application/json").getBody());
        assertThat(journey.get("runningToNow").asBoolean()).isFalse();
        assertThat(journey.at("/leadTime/iso").asText()).isEqualTo("PT2H");
        assertThat(journey.at("/leadTime/millis").asLong()).isEqualTo(7_200_000L);
        assertThat(journey.at("/handlingTime/millis").asLong()).isEqualTo(70 * 60_000L);
        assertThat(journey.get("serviceSteps").asInt()).isEqualTo(2);
        assertThat(journey.get("handovers").asInt()).isEqualTo(1);
        assertThat(journey.at("/handoverDelays/0/delay/millis").asLong()).isEqualTo(45 * 60_000L);
        assertThat(journey.at("/contacts/0/queueTime/iso").asText()).isEqualTo("PT3M");
        assertThat(journey.toString()).doesNotContain("0101401234");

        await().atMost(Duration.ofSeconds(20)).until(() -> get("caseworker", "/api/cases/http-2/journey",
                                                               "application/json").getStatusCode() == HttpStatus.OK);
        JsonNode open = json.readTree(get("caseworker", "/api/cases/http-2/journey", "application/json").getBody());
        assertThat(open.get("runningToNow").asBoolean()).isTrue();
        assertThat(open.get("asOf").isTextual()).isTrue();
        assertThat(get("caseworker", "/api/cases/nope/journey", "application/json").getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);

        String query = "/api/evaluation?from=2024-04-01&to=2024-04-30&groupBy=citizenGroup,month";
        JsonNode report = json.readTree(get("manager", query, "application/json").getBody());
        JsonNode group = report.at("/groups/0");
        assertThat(report.get("groups")).hasSize(1);
        assertThat(group.at("/key/citizenGroup").asText()).isEqualTo("ELDERLY");
        assertThat(group.at("/key/month").asText()).isEqualTo("2024-04");
        assertThat(group.get("cases").asLong()).isEqualTo(2);
        assertThat(group.get("openCases").asLong()).isEqualTo(1);
        assertThat(group.at("/leadTimeMs/median").asDouble()).isEqualTo(7_200_000.0);
        assertThat(group.at("/handoversBetweenUnits/0/fromUnit").asText()).isEqualTo("KBH-KC");

        ResponseEntity<String> csv = get("manager", query, "text/csv");
        assertThat(csv.getHeaders().getContentType().toString()).startsWith("text/csv");
        String[] lines = csv.getBody().split("\r\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("citizenGroup,month,cases,open_cases,resolved_cases,");
        assertThat(lines[1]).startsWith("ELDERLY,2024-04,2,1,1,");

        ResponseEntity<String> invalid = get("manager", "/api/evaluation?from=2024-04-01&to=2024-04-30&groupBy=colour",
                                             "application/json");
        assertThat(invalid.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(invalid.getBody()).contains("\"field\":\"groupBy\"");
    }
}
