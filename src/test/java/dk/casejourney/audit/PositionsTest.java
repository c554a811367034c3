package dk.casejourney.audit;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class PositionsTest {

    @Test
    void describe_masksCprShapedNumbersButKeepsOtherNumbers() {
        String described = Positions.describe(new SQLException(
                "Value too long for column cpr: '0101701234' and 010170-1234; row 12345678901 of 42"));

        assertThat(described).startsWith("java.sql.SQLException: ")
                             .doesNotContain("0101701234").doesNotContain("010170-1234")
                             .contains("******-****").contains("12345678901").contains("42");
    }
}
