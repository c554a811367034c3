package dk.casejourney.importexport;

import dk.casejourney.journey.api.CaseEvent;
import dk.casejourney.journey.api.CaseHandedOver;
import dk.casejourney.journey.api.CaseOpened;
import dk.casejourney.journey.api.CaseReopened;
import dk.casejourney.journey.api.CaseResolved;
import dk.casejourney.journey.api.ContactRecorded;
import dk.casejourney.journey.api.DecisionRecorded;
import dk.casejourney.journey.api.InformationProvided;
import dk.casejourney.journey.api.InformationRequested;
import dk.casejourney.journey.api.WorkRecorded;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;

/** How a ledger entry reads as a process-mining event: its activity label, unit, staff and time. */
final class ExportEntries {

    /**
     * Times are written with the Europe/Copenhagen offset of their instant (+01:00 or +02:00): the instant is
     * exact, and tools that show local time show the municipality's.
     */
    static final ZoneId ZONE = ZoneId.of("Europe/Copenhagen");

    private ExportEntries() {
    }

    /**
     * Names the ledger entry an exported event stands for (e.g. CaseOpened, WorkRecorded, CaseHandedOver), so a
     * re-import can take openings, handovers and resolutions for what they are instead of deriving them.
     */
    static final String ENTRY_TYPE = "ledger:entryType";
    static final String HANDOVER_TO = "handover:to";

    /** A mapped entry; {@code toUnit} only for handovers, {@code staff} and {@code lifecycle} may be null. */
    record Entry(String activity, String unit, String toUnit, String staff, String lifecycle, OffsetDateTime time,
                 Map<String, String> attributes) {
    }

    /**
     * The entry as an event, or null for entries that are not part of the exported journey: satisfaction scores
     * (a verdict on the case, not a step of it).
     */
    static Entry of(CaseEvent event) {
        OffsetDateTime time = event.occurredAt().atZone(ZONE).toOffsetDateTime();
        if (event instanceof WorkRecorded e) {
            return new Entry(e.activity(), e.unit(), null, e.staffId(), e.lifecycle() == null ? "complete"
                    : e.lifecycle(), time, e.attributes());
        } else if (event instanceof ContactRecorded e) {
            return new Entry("Contact " + e.purpose() + " by " + e.channel(), e.unit(), null, e.staffId(), "complete",
                             time, Map.of());
        } else if (event instanceof InformationRequested e) {
            return new Entry("Information requested " + e.informationType(), e.unit(), null, null, "complete", time,
                             Map.of());
        } else if (event instanceof InformationProvided e) {
            return new Entry("Information provided " + e.informationType(), e.unit(), null, null, "complete", time,
                             Map.of());
        } else if (event instanceof DecisionRecorded e) {
            return new Entry("Decision " + e.outcome(), e.unit(), null, null, "complete", time, Map.of());
        } else if (event instanceof CaseReopened e) {
            return new Entry("Case reopened", e.unit(), null, null, "complete", time, Map.of());
        } else if (event instanceof CaseHandedOver e) {
            return new Entry("Handover", e.fromUnit(), e.toUnit(), null, "complete", time,
                             Map.of(HANDOVER_TO, e.toUnit(), "handover:reason", e.reason().name()));
        } else if (event instanceof CaseOpened e) {
            return new Entry("Case opened", e.unit(), null, null, "complete", time, Map.of());
        } else if (event instanceof CaseResolved e) {
            return new Entry("Case resolved", e.unit(), null, null, "complete", time, Map.of());
        }
        return null;
    }
}
