package dk.casejourney.journey.api;

/** The channel a contact went through (DOMAIN.md, kanal). */
public enum Channel {
    SELF_SERVICE, ASSISTED_SELF_SERVICE, PHONE, EMAIL, LETTER, IN_PERSON, OUTREACH
}
