package dk.casejourney.importexport;

import dk.casejourney.evaluation.api.EvaluationCriteria;
import dk.casejourney.importexport.xes.XesEvent;
import dk.casejourney.importexport.xes.XesTrace;
import dk.casejourney.importexport.xes.XesValue;
import dk.casejourney.importexport.xes.XesWriter;
import dk.casejourney.journey.api.CaseEvent;
import dk.casejourney.journey.api.CaseOpened;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes journeys as an XES log, streamed: one trace per case, named by its source reference if it was
 * imported (so an imported log exports under its own case names) or else by its case id; both are kept as
 * attributes. The trace also carries the attributes the import mapping reads by default (channel, citizenGroup,
 * serviceArea, municipality), so a re-import restores them. The citizen appears only by pseudonym.
 * Work's other attributes are written back as strings (the ledger keeps them as text). Every event names the
 * ledger entry it stands for ({@value ExportEntries#ENTRY_TYPE}), so that a re-import takes the ledger's own
 * handovers instead of deriving them from unit changes: the figures survive a round trip.
 */
@Component
class XesExport {

    private static final Logger LOG = LoggerFactory.getLogger(XesExport.class);

    private final LedgerJourneys journeys;

    XesExport(LedgerJourneys journeys) {
        this.journeys = journeys;
    }

    /**
     * Characters XML 1.0 cannot carry (U+0000 and the other C0 controls but tab, CR and LF; lone surrogates) are
     * written as U+FFFD: the ledger may hold them from before input refused them, and one such character must
     * not make the whole export unreadable. A failure part-way leaves the log unterminated (see XesWriter).
     *
     * @return the number of traces written
     */
    long write(EvaluationCriteria criteria, OutputStream out) {
        long[] traces = {0};
        try (XesWriter writer = XesWriter.replacingUnrepresentable(out)) {
            writer.startLog(Map.of(XesEvent.ACTIVITY, XesValue.string("case-journey-ledger export")));
            journeys.forEach(criteria, journey -> {
                writer.writeTrace(trace(journey));
                traces[0]++;
            });
            writer.endLog();
            if (writer.replaced() > 0) {
                LOG.warn("XES export: {} characters XML 1.0 cannot carry were written as U+FFFD", writer.replaced());
            }
        }
        return traces[0];
    }

    static XesTrace trace(LedgerJourneys.Journey journey) {
        CaseOpened opened = journey.opened();
        Map<String, XesValue> attributes = new LinkedHashMap<>();
        attributes.put(XesEvent.ACTIVITY, XesValue.string(opened.imported() ? opened.sourceRef() : opened.caseId()));
        attributes.put("case:id", XesValue.string(opened.caseId()));
        if (opened.imported()) {
            attributes.put("case:sourceRef", XesValue.string(opened.sourceRef()));
            if (opened.source() != null) {
                attributes.put("case:source", XesValue.string(opened.source()));
            }
        }
        attributes.put("citizen:pseudonym", XesValue.string(opened.citizenPseudonym()));
        attributes.put("channel", XesValue.string(opened.channel().name()));
        attributes.put("citizenGroup", XesValue.string(opened.citizenGroup().name()));
        attributes.put("serviceArea", XesValue.string(opened.serviceArea().name()));
        attributes.put("municipality", XesValue.string(opened.municipality()));
        attributes.put("ageBand", XesValue.string(opened.ageBand().name()));
        List<XesEvent> events = new ArrayList<>();
        for (CaseEvent event : journey.entries()) {
            ExportEntries.Entry entry = ExportEntries.of(event);
            if (entry == null) {
                continue;
            }
            Map<String, XesValue> values = new LinkedHashMap<>();
            values.put(XesEvent.ACTIVITY, XesValue.string(entry.activity()));
            values.put(XesEvent.GROUP, XesValue.string(entry.unit()));
            if (entry.staff() != null) {
                values.put(XesEvent.RESOURCE, XesValue.string(entry.staff()));
            }
            values.put(XesEvent.TIMESTAMP, XesValue.date(entry.time()));
            values.put(XesEvent.LIFECYCLE, XesValue.string(entry.lifecycle()));
            values.put(ExportEntries.ENTRY_TYPE, XesValue.string(event.getClass().getSimpleName()));
            entry.attributes().forEach((key, value) -> values.putIfAbsent(key, XesValue.string(value)));
            events.add(new XesEvent(values));
        }
        return XesTrace.of(attributes, events);
    }
}
