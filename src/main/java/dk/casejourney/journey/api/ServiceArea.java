package dk.casejourney.journey.api;

/**
 * Service areas (opgaveområder) named in the seed documents, plus permits for imported historical logs.
 * Stored by name in events, so constants are only ever added, never renamed.
 */
public enum ServiceArea {
    PASSPORT,
    DRIVING_LICENCE,
    HEALTH_INSURANCE_CARD,
    HOUSING_BENEFIT,
    CHILD_BENEFIT,
    CHANGE_OF_ADDRESS,
    CIVIL_REGISTRATION,
    PENSION,
    PERSONAL_ALLOWANCE,
    WASTE_SERVICE,
    PARKING,
    BUILDING_PERMIT,
    ENVIRONMENTAL_PERMIT,
    OTHER
}
