package dk.casejourney.privacy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueryStringMaskingFilterTest {

    @Test
    void cprNumbersAreMaskedByNameAndByShapeAndTheRestIsKept() {
        assertThat(QueryStringMaskingFilter.mask("cpr=2906841357&status=OPEN")).isEqualTo("cpr=masked&status=OPEN");
        assertThat(QueryStringMaskingFilter.mask("unit=north&who=290684-1357")).isEqualTo("unit=north&who=masked");
        assertThat(QueryStringMaskingFilter.mask("who=290684%2D1357")).isEqualTo("who=masked");
        assertThat(QueryStringMaskingFilter.mask("CPR=x&offset=0&limit=50")).isEqualTo("CPR=masked&offset=0&limit=50");
        assertThat(QueryStringMaskingFilter.mask("2906841357")).isEqualTo("masked");
        assertThat(QueryStringMaskingFilter.mask("limit=500&offset=100")).isEqualTo("limit=500&offset=100");
    }
}
