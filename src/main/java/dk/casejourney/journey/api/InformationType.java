package dk.casejourney.journey.api;

/** Typed pieces of information a citizen provides (oplysninger); repeated information is counted per type. */
public enum InformationType {
    INCOME, ADDRESS, HOUSEHOLD, IDENTITY, BANK_ACCOUNT, EMPLOYMENT, HEALTH, HOUSING, CHILDREN, PENSION, DOCUMENTATION, OTHER
}
