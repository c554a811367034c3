package dk.casejourney.common;

import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class IdentifiersTest {

    private static final String SCOPE = "cases";

    @Test
    void givenRandomUuidsOfWhichTheFirstHoldsACprShapedNumber_whenAnIdIsMade_thenTheNextOneIsTaken() {
        // Case ids the server made and then refused on their next write (benchmark, 2026-12-01): 140229-8427,
        // 080409-2011 and 2204648190 each read as a date and four digits.
        Iterator<String> uuids = List.of("7e140229-8427-4959-a235-aafb58a48f77",
                                         "3a080409-2011-4153-8f17-cb0f426879d4",
                                         "b781a59a-400d-400b-898c-2204648190e3",
                                         "0f5c1a2e-9b7d-4c3e-a1f2-b3c4d5e6f7a8").iterator();

        assertThat(Identifiers.firstWithoutCpr(attempt -> uuids.next())).isEqualTo("0f5c1a2e-9b7d-4c3e-a1f2-b3c4d5e6f7a8");
    }

    @Test
    void givenAnIdempotencyKeyWhoseCaseIdWouldHoldACprShapedNumber_whenTheIdIsDerived_thenTheLedgerAcceptsItAgainAndAgain() {
        String key = keyWhoseNameBasedCaseIdIsCprShaped();
        Recording.Request request = new Recording.Request(SCOPE, key, MetaData.emptyInstance());

        String caseId = request.newId("case");

        assertThat(TextRules.problem(caseId, 200, false)).as("the path guard's verdict on " + caseId).isEmpty();
        assertThat(new Recording.Request(SCOPE, key, MetaData.emptyInstance()).newId("case"))
                .as("a retry names the same case").isEqualTo(caseId);
    }

    @Test
    void givenAnIdempotencyKeyWhoseCaseIdHoldsNoCprShapedNumber_whenTheIdIsDerived_thenItIsTheIdItWasBefore() {
        String key = "k-0123abcd";
        String before = UUID.nameUUIDFromBytes(("case\n" + SCOPE + "\n" + key).getBytes(StandardCharsets.UTF_8))
                            .toString();
        assertThat(TextRules.containsCprShaped(before)).isFalse();

        assertThat(new Recording.Request(SCOPE, key, MetaData.emptyInstance()).newId("case")).isEqualTo(before);
    }

    /** About one name in a thousand or two gives such a UUID; the search is deterministic. */
    private static String keyWhoseNameBasedCaseIdIsCprShaped() {
        for (int i = 0; i < 1_000_000; i++) {
            String key = "k-" + i;
            String plain = UUID.nameUUIDFromBytes(("case\n" + SCOPE + "\n" + key).getBytes(StandardCharsets.UTF_8))
                               .toString();
            if (TextRules.containsCprShaped(plain)) {
                return key;
            }
        }
        throw new AssertionError("no key in a million gives a CPR-shaped case id");
    }
}
