package dk.casejourney.production;

import dk.casejourney.LedgerApplication;
import dk.casejourney.journey.api.BulkRecording;
import dk.casejourney.journey.api.CaseCommand;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A ledger process that imports batches of whole journeys until it is killed, reporting each batch on
 * standard output only after it was committed. Started by {@link KillDuringBulkImportTest} in a JVM of its own:
 * on PostgreSQL, or with {@code -Dbulk.store=embedded} on the embedded H2 store. Every case is for a new citizen,
 * whose key the batch creates and makes durable with its commit.
 */
public final class BulkImportProcess {

    static final int CASES_PER_BATCH = 10;
    static final String COMMITTED = "COMMITTED ";

    private BulkImportProcess() {
    }

    /** Case ids carry their batch number, so a half-imported batch can be recognised in the store. */
    static String caseId(int batch, int index) {
        return "b" + batch + "-c" + index;
    }

    /** A CPR number of its own per case, from 1 January 1970 on (the seventh digit 0: born in the 1900s). */
    static String cpr(int batch, int index) {
        LocalDate born = LocalDate.of(1970, 1, 1).plusDays((long) batch * CASES_PER_BATCH + index);
        return born.format(DateTimeFormatter.ofPattern("ddMMyy")) + "0" + String.format("%03d", index);
    }

    public static void main(String[] args) {
        boolean embedded = "embedded".equals(System.getProperty("bulk.store"));
        SpringApplicationBuilder builder = new SpringApplicationBuilder(LedgerApplication.class);
        if (!embedded) {
            builder.profiles("postgres");
        }
        ConfigurableApplicationContext ledger = builder.web(WebApplicationType.NONE).run(args);
        BulkRecording bulk = ledger.getBean(BulkRecording.class);
        for (int batch = 0; batch < 100_000; batch++) {
            List<CaseCommand> commands = new ArrayList<>();
            for (int index = 0; index < CASES_PER_BATCH; index++) {
                commands.addAll(Journeys.journey(caseId(batch, index), cpr(batch, index)));
            }
            bulk.record("import:kill-test", commands);
            System.out.println(COMMITTED + batch);
            System.out.flush();
        }
    }
}
