package dk.casejourney.simulation;

import dk.casejourney.calendar.UnitKind;

import java.util.List;
import java.util.Map;

/**
 * The simulated municipality's units. Their opening hours come from ledger.calendar.units in
 * application.yml (same ids); the kinds here only decide the simulator's own behaviour.
 */
final class SimulatedUnits {

    static final String WEB = "KBH-WEB";
    static final String CONTACT_CENTER = "KBH-KC";
    static final List<String> CITIZEN_SERVICE_CENTERS = List.of("KBH-BS-NORD", "KBH-BS-SYD", "KBH-BS-VEST");
    static final String BENEFITS_BACK_OFFICE = "KBH-BO-YDELSE";
    static final String REGISTRATION_BACK_OFFICE = "KBH-BO-FOLKEREG";
    static final String PENSION_OFFICE = "KBH-PO";
    static final String TECHNICAL_OFFICE = "KBH-TMF";

    static final Map<String, UnitKind> KINDS = Map.of(
            WEB, UnitKind.SELF_SERVICE,
            CONTACT_CENTER, UnitKind.CONTACT_CENTER,
            CITIZEN_SERVICE_CENTERS.get(0), UnitKind.CITIZEN_SERVICE_CENTER,
            CITIZEN_SERVICE_CENTERS.get(1), UnitKind.CITIZEN_SERVICE_CENTER,
            CITIZEN_SERVICE_CENTERS.get(2), UnitKind.CITIZEN_SERVICE_CENTER,
            BENEFITS_BACK_OFFICE, UnitKind.BACK_OFFICE,
            REGISTRATION_BACK_OFFICE, UnitKind.BACK_OFFICE,
            PENSION_OFFICE, UnitKind.SPECIALIST_OFFICE,
            TECHNICAL_OFFICE, UnitKind.BACK_OFFICE);

    private SimulatedUnits() {
    }
}
