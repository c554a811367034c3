package dk.casejourney.production;

import dk.casejourney.LedgerApplication;
import dk.casejourney.journey.api.BulkRecording;
import dk.casejourney.journey.api.CaseCommand;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;

/**
 * A ledger process that imports batches of whole journeys until it is killed, reporting each batch on
 * standard output only after it was committed. Started by {@link KillDuringBulkImportTest} in a JVM of its own.
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

    public static void main(String[] args) {
        ConfigurableApplicationContext ledger = new SpringApplicationBuilder(LedgerApplication.class)
                .profiles("postgres")
                .web(WebApplicationType.NONE)
                .run(args);
        BulkRecording bulk = ledger.getBean(BulkRecording.class);
        for (int batch = 0; batch < 100_000; batch++) {
            List<CaseCommand> commands = new ArrayList<>();
            for (int index = 0; index < CASES_PER_BATCH; index++) {
                commands.addAll(Journeys.journey(caseId(batch, index)));
            }
            bulk.record("import:kill-test", commands);
            System.out.println(COMMITTED + batch);
            System.out.flush();
        }
    }
}
