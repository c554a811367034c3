package dk.casejourney.calendar;

/** The kinds of unit, each with default opening hours (DOMAIN.md, "Business time"). */
public enum UnitKind {
    SELF_SERVICE(WeeklyOpeningHours.SELF_SERVICE, false),
    CONTACT_CENTER(WeeklyOpeningHours.CONTACT_CENTER, true),
    CITIZEN_SERVICE_CENTER(WeeklyOpeningHours.CITIZEN_SERVICE_CENTER, true),
    BACK_OFFICE(WeeklyOpeningHours.WHOLE_CASE, true),
    SPECIALIST_OFFICE(WeeklyOpeningHours.WHOLE_CASE, true);

    private final WeeklyOpeningHours defaultHours;
    private final boolean closedOnHolidaysByDefault;

    UnitKind(WeeklyOpeningHours defaultHours, boolean closedOnHolidaysByDefault) {
        this.defaultHours = defaultHours;
        this.closedOnHolidaysByDefault = closedOnHolidaysByDefault;
    }

    public WeeklyOpeningHours defaultHours() {
        return defaultHours;
    }

    /** Self-service is a website and stays open on holidays; staffed units close. */
    public boolean closedOnHolidaysByDefault() {
        return closedOnHolidaysByDefault;
    }
}
