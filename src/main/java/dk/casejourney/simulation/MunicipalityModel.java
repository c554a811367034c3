package dk.casejourney.simulation;

import dk.casejourney.calendar.BusinessCalendar;
import dk.casejourney.calendar.UnitCalendars;
import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.CitizenGroup;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.CorrectEntryCommand;
import dk.casejourney.journey.api.DecisionOutcome;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.EntryChanges;
import dk.casejourney.journey.api.HandOverCaseCommand;
import dk.casejourney.journey.api.HandoverReason;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.journey.api.ProvideInformationCommand;
import dk.casejourney.journey.api.RecordContactCommand;
import dk.casejourney.journey.api.RecordDecisionCommand;
import dk.casejourney.journey.api.RecordSatisfactionCommand;
import dk.casejourney.journey.api.RecordWorkCommand;
import dk.casejourney.journey.api.ReopenCaseCommand;
import dk.casejourney.journey.api.ReopenReason;
import dk.casejourney.journey.api.RequestInformationCommand;
import dk.casejourney.journey.api.ResolveCaseCommand;
import dk.casejourney.journey.api.ServiceArea;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dk.casejourney.simulation.SimulatedUnits.BENEFITS_BACK_OFFICE;
import static dk.casejourney.simulation.SimulatedUnits.CITIZEN_SERVICE_CENTERS;
import static dk.casejourney.simulation.SimulatedUnits.CONTACT_CENTER;
import static dk.casejourney.simulation.SimulatedUnits.PENSION_OFFICE;
import static dk.casejourney.simulation.SimulatedUnits.REGISTRATION_BACK_OFFICE;
import static dk.casejourney.simulation.SimulatedUnits.TECHNICAL_OFFICE;
import static dk.casejourney.simulation.SimulatedUnits.WEB;

/**
 * A seeded model of a municipality following the channel strategy of the seeds: citizens of each group and
 * age, the service areas of the merged citizen service, self-service first, then phone, then in person;
 * about 80% of cases uncomplicated and resolved at the first contact, the rest handed to back and
 * specialist offices, with information requests (sometimes asked twice), status inquiries when cases wait
 * long, returns, reopenings, corrections and satisfaction scores. After the change date the digital share
 * rises and handovers fall. Every case is a pure function of (seed, case number): the same seed gives the
 * same ledger whatever order the cases are sent in.
 */
final class MunicipalityModel {

    private static final ZoneId ZONE = BusinessCalendar.COPENHAGEN;

    /** One simulated case: its commands in the order they must be sent. */
    record SimulatedCase(String caseId, CitizenGroup group, ServiceArea area, boolean afterChange,
                         Channel firstChannel, List<CaseCommand> commands) {
    }

    /** What differs by service area: weight, share needing a back office, where it goes, what is asked. */
    private record Area(ServiceArea area, int weight, double complex, String backOffice,
                        List<InformationType> asks) {
    }

    private static final List<Area> AREAS = List.of(
            new Area(ServiceArea.PASSPORT, 20, 0.08, REGISTRATION_BACK_OFFICE, List.of(InformationType.IDENTITY)),
            new Area(ServiceArea.CHANGE_OF_ADDRESS, 18, 0.10, REGISTRATION_BACK_OFFICE,
                     List.of(InformationType.ADDRESS, InformationType.HOUSEHOLD)),
            new Area(ServiceArea.HOUSING_BENEFIT, 15, 0.45, BENEFITS_BACK_OFFICE,
                     List.of(InformationType.INCOME, InformationType.HOUSEHOLD, InformationType.HOUSING)),
            new Area(ServiceArea.CHILD_BENEFIT, 12, 0.30, BENEFITS_BACK_OFFICE,
                     List.of(InformationType.CHILDREN, InformationType.INCOME)),
            new Area(ServiceArea.PENSION, 10, 0.50, PENSION_OFFICE,
                     List.of(InformationType.PENSION, InformationType.INCOME, InformationType.HEALTH)),
            new Area(ServiceArea.WASTE_SERVICE, 12, 0.10, TECHNICAL_OFFICE, List.of(InformationType.ADDRESS)),
            new Area(ServiceArea.PARKING, 13, 0.15, TECHNICAL_OFFICE, List.of(InformationType.DOCUMENTATION)));

    private final long seed;
    private final LocalDate start;
    private final LocalDate end;
    private final LocalDate changeDate;
    private final String municipality;
    private final int citizens;
    private final UnitCalendars calendars;

    /**
     * @param start      first day cases open
     * @param end        last day cases open
     * @param changeDate from this day on the channel strategy has moved on (more digital, fewer handovers)
     * @param citizens   size of the population cases are drawn from (citizens may have several cases)
     */
    MunicipalityModel(long seed, LocalDate start, LocalDate end, LocalDate changeDate, String municipality,
                      int citizens, UnitCalendars calendars) {
        this.seed = seed;
        this.start = start;
        this.end = end;
        this.changeDate = changeDate;
        this.municipality = municipality;
        this.citizens = Math.max(1, citizens);
        this.calendars = calendars;
    }

    /** Case number {@code n}; events that would lie after {@code now} are left out, so the case stays open. */
    SimulatedCase generate(long n, Instant now) {
        SplittableRandom random = new SplittableRandom(mix(seed, n));
        long citizenNumber = random.nextLong(citizens);
        SplittableRandom citizenRandom = new SplittableRandom(mix(seed ^ 0x5DEECE66DL, citizenNumber));
        CitizenGroup group = pick(citizenRandom, CitizenGroup.values(), new int[]{18, 30, 8, 22, 22});
        LocalDate day = start.plusDays(random.nextLong(ChronoUnit.DAYS.between(start, end) + 1));
        boolean after = !day.isBefore(changeDate);
        LocalDate birth = birthDate(citizenRandom, group, day);
        Area area = area(random, group);
        return new Builder(random, "sim-" + seed + "-" + n, group, area, after, day, now, cpr(citizenRandom, birth))
                .build();
    }

    private static long mix(long seed, long n) {
        long z = seed * 0x9E3779B97F4A7C15L + n * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static LocalDate birthDate(SplittableRandom random, CitizenGroup group, LocalDate on) {
        int[] ages = switch (group) {
            case YOUTH -> new int[]{15, 29};
            case FAMILY_WITH_CHILDREN -> new int[]{24, 50};
            case SOCIALLY_VULNERABLE -> new int[]{19, 66};
            case ELDERLY -> new int[]{67, 95};
            case OTHER -> new int[]{18, 80};
        };
        int age = ages[0] + random.nextInt(ages[1] - ages[0] + 1);
        return on.minusYears(age).minusDays(random.nextInt(365));
    }

    /** DDMMYY and four digits whose first tells the century (0-3: 1900s, 4: 2000-2036); no modulus-11. */
    private static String cpr(SplittableRandom random, LocalDate birth) {
        int seventh = birth.getYear() < 2000 ? random.nextInt(4) : 4;
        return String.format("%02d%02d%02d%d%03d", birth.getDayOfMonth(), birth.getMonthValue(),
                             birth.getYear() % 100, seventh, random.nextInt(1000));
    }

    private static Area area(SplittableRandom random, CitizenGroup group) {
        int[] weights = new int[AREAS.size()];
        for (int i = 0; i < weights.length; i++) {
            Area area = AREAS.get(i);
            int weight = area.weight();
            if (area.area() == ServiceArea.PENSION) {
                weight = group == CitizenGroup.ELDERLY ? 45 : group == CitizenGroup.YOUTH ? 0 : 4;
            } else if (area.area() == ServiceArea.CHILD_BENEFIT) {
                weight = group == CitizenGroup.FAMILY_WITH_CHILDREN ? 35 : group == CitizenGroup.ELDERLY ? 0 : 4;
            } else if (area.area() == ServiceArea.HOUSING_BENEFIT && group == CitizenGroup.SOCIALLY_VULNERABLE) {
                weight = 40;
            }
            weights[i] = weight;
        }
        return pick(random, AREAS.toArray(new Area[0]), weights);
    }

    private static <T> T pick(SplittableRandom random, T[] values, int[] weights) {
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        int r = random.nextInt(total);
        for (int i = 0; i < values.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    /** Writes one case's commands, moving a clock forward through the units' opening hours. */
    private final class Builder {
        private final SplittableRandom random;
        private final String caseId;
        private final CitizenGroup group;
        private final Area area;
        private final boolean after;
        private final LocalDate day;
        private final Instant now;
        private final String cpr;
        private final List<CaseCommand> commands = new ArrayList<>();
        private final List<String> contactIds = new ArrayList<>();
        private Instant t;
        private String holder;
        private int entries;
        private int handovers;
        private int inquiries;
        private boolean stopped;

        Builder(SplittableRandom random, String caseId, CitizenGroup group, Area area, boolean after, LocalDate day,
                Instant now, String cpr) {
            this.random = random;
            this.caseId = caseId;
            this.group = group;
            this.area = area;
            this.after = after;
            this.day = day;
            this.now = now;
            this.cpr = cpr;
        }

        SimulatedCase build() {
            Channel channel = firstChannel();
            String entryUnit = entryUnit(channel);
            t = openAt(entryUnit, day.atTime(LocalTime.of(random.nextInt(7, 21), random.nextInt(60))).atZone(ZONE)
                                     .toInstant());
            holder = entryUnit;
            add(new OpenCaseCommand(caseId, id(), cpr, group, area.area(), municipality, channel, entryUnit, t));
            boolean complex = random.nextDouble() < area.complex();
            ContactPurpose purpose = random.nextDouble() < 0.7 ? ContactPurpose.APPLICATION : ContactPurpose.QUESTION;
            contact(entryUnit, channel, purpose);
            if (random.nextDouble() < 0.3) {
                provide(area.asks().get(0), null, channel, entryUnit);
            }
            // Handovers fall after the change: better IT lets the front office finish more cases itself.
            boolean handOver = complex && random.nextDouble() < (after ? 0.65 : 0.95);
            if (!handOver) {
                boolean comesBack = complex ? !after || random.nextBoolean() : random.nextDouble() < 0.06;
                if (comesBack) {
                    // Not resolved at once: the citizen comes back, maybe through another channel.
                    later(Duration.ofHours(random.nextInt(2, 72)));
                    Channel again = random.nextBoolean() ? Channel.PHONE : channel;
                    contact(entryUnit(again), again, ContactPurpose.GUIDANCE);
                }
                decideAndResolve(holder);
            } else {
                backOffice();
            }
            if (!stopped && random.nextDouble() < 0.35) {
                satisfaction(channel);
            }
            if (!stopped && !contactIds.isEmpty() && random.nextDouble() < 0.01) {
                correct();
            }
            return new SimulatedCase(caseId, group, area.area(), after, channel, List.copyOf(commands));
        }

        private Channel firstChannel() {
            double digital = after ? 0.58 : 0.32;
            if (group == CitizenGroup.ELDERLY) {
                digital *= 0.45;
            } else if (group == CitizenGroup.SOCIALLY_VULNERABLE) {
                digital *= 0.5;
            } else if (group == CitizenGroup.YOUTH) {
                digital = Math.min(0.9, digital * 1.5);
            }
            if (area.area() == ServiceArea.PASSPORT) {
                // A passport needs the citizen in person; afterwards many start by booking online.
                return random.nextDouble() < digital * 0.5 ? Channel.SELF_SERVICE : Channel.IN_PERSON;
            }
            double r = random.nextDouble();
            if (r < digital) {
                return after && random.nextDouble() < 0.1 ? Channel.ASSISTED_SELF_SERVICE : Channel.SELF_SERVICE;
            }
            r = random.nextDouble();
            if (group == CitizenGroup.SOCIALLY_VULNERABLE && r < 0.08) {
                return Channel.OUTREACH;
            }
            return r < 0.58 ? Channel.PHONE : r < 0.70 ? Channel.EMAIL : r < 0.73 ? Channel.LETTER : Channel.IN_PERSON;
        }

        private String entryUnit(Channel channel) {
            return switch (channel) {
                case SELF_SERVICE -> WEB;
                case PHONE, EMAIL, LETTER -> CONTACT_CENTER;
                default -> CITIZEN_SERVICE_CENTERS.get((int) Math.floorMod(caseId.hashCode(), 3));
            };
        }

        private void backOffice() {
            String backOffice = area.backOffice();
            // Wrong entrance: a front office passes the case to another front office first.
            if (random.nextDouble() < (after ? 0.06 : 0.22)) {
                String other = holder.equals(CONTACT_CENTER) ? CITIZEN_SERVICE_CENTERS.get(0) : CONTACT_CENTER;
                handover(other, HandoverReason.WRONG_ENTRANCE);
                later(Duration.ofHours(random.nextInt(1, 48)));
                contact(other, other.equals(CONTACT_CENTER) ? Channel.PHONE : Channel.IN_PERSON,
                        ContactPurpose.DOCUMENTATION);
            }
            handover(backOffice, area.area() == ServiceArea.PENSION ? HandoverReason.AUTHORITY_ELSEWHERE
                    : HandoverReason.NEEDS_EXPERTISE);
            later(Duration.ofHours(random.nextInt(2, after ? 60 : 110)));
            work(backOffice);
            if (random.nextDouble() < 0.6) {
                InformationType asked = area.asks().get(random.nextInt(area.asks().size()));
                informationRound(backOffice, asked);
                // Some information is asked twice (a new caseworker, a lost letter).
                if (random.nextDouble() < (after ? 0.08 : 0.2)) {
                    informationRound(backOffice, asked);
                }
            }
            if (area.area() == ServiceArea.HOUSING_BENEFIT && random.nextDouble() < 0.2) {
                handover(PENSION_OFFICE, HandoverReason.NEEDS_EXPERTISE);
                later(Duration.ofHours(random.nextInt(4, 120)));
                work(PENSION_OFFICE);
                handover(backOffice, HandoverReason.AUTHORITY_ELSEWHERE);
                later(Duration.ofHours(random.nextInt(2, 48)));
                work(backOffice);
            }
            // A return: the decision is handed back to the front office to meet the citizen.
            if (random.nextDouble() < (after ? 0.1 : 0.25)) {
                decision(backOffice);
                String front = CITIZEN_SERVICE_CENTERS.get(random.nextInt(3));
                handover(front, HandoverReason.OTHER);
                later(Duration.ofHours(random.nextInt(2, 96)));
                contact(front, Channel.IN_PERSON, ContactPurpose.GUIDANCE);
                resolve(front);
            } else {
                decideAndResolve(backOffice);
            }
            if (random.nextDouble() < 0.02) {
                later(Duration.ofDays(random.nextInt(5, 30)));
                String unit = holder;
                add(new ReopenCaseCommand(caseId, id(), random.nextBoolean() ? ReopenReason.APPEAL
                        : ReopenReason.NEW_INFORMATION, unit, t));
                later(Duration.ofHours(random.nextInt(4, 100)));
                work(unit);
                decideAndResolve(unit);
            }
        }

        private void informationRound(String unit, InformationType type) {
            String request = id();
            add(new RequestInformationCommand(caseId, request, type, day.plusDays(30), unit, t));
            Duration answerIn = Duration.ofHours(random.nextInt(4, group == CitizenGroup.SOCIALLY_VULNERABLE ? 500 : 240));
            Instant answer = t.plus(answerIn);
            // Waiting long, citizens chase the case: failure demand at the contact center.
            if (answerIn.toDays() > 7 && random.nextDouble() < 0.5) {
                later(Duration.ofDays(random.nextInt(5, 8)));
                contact(CONTACT_CENTER, Channel.PHONE, random.nextDouble() < 0.8 ? ContactPurpose.STATUS_INQUIRY
                        : ContactPurpose.REMINDER);
                inquiries++;
                if (t.isAfter(answer)) {
                    answer = t.plusSeconds(3600);
                }
            }
            t = answer;
            Channel channel = random.nextDouble() < (after ? 0.7 : 0.4) ? Channel.SELF_SERVICE
                    : random.nextBoolean() ? Channel.EMAIL : Channel.LETTER;
            provide(type, request, channel, unit);
            later(Duration.ofHours(random.nextInt(1, 72)));
            work(unit);
        }

        private void contact(String unit, Channel channel, ContactPurpose purpose) {
            Instant startedAt = openAt(unit, t);
            Duration queue = switch (channel) {
                case PHONE -> Duration.ofSeconds(random.nextInt(after ? 300 : 480));
                case IN_PERSON -> Duration.ofSeconds(random.nextInt(120, after ? 900 : 1500));
                default -> null;
            };
            Duration length = Duration.ofSeconds(switch (channel) {
                case SELF_SERVICE, ASSISTED_SELF_SERVICE -> random.nextInt(180, 900);
                case PHONE -> random.nextInt(120, 720);
                case IN_PERSON, OUTREACH -> random.nextInt(420, 1500);
                default -> random.nextInt(300, 900);
            });
            String id = id();
            Instant queuedAt = queue == null ? null : startedAt.minus(queue);
            t = startedAt;
            if (add(new RecordContactCommand(caseId, id, channel, Direction.INBOUND, unit, staff(unit), purpose,
                                             queuedAt, startedAt, startedAt.plus(length)))) {
                contactIds.add(id);
            }
            t = startedAt.plus(length);
        }

        private void work(String unit) {
            Instant startedAt = openAt(unit, t);
            Duration length = Duration.ofMinutes(random.nextInt(15, 120));
            t = startedAt;
            add(new RecordWorkCommand(caseId, id(), unit, staff(unit), "case work", startedAt, startedAt.plus(length)));
            t = startedAt.plus(length);
        }

        private void provide(InformationType type, String request, Channel channel, String unit) {
            add(new ProvideInformationCommand(caseId, id(), type, channel, unit, request, t));
        }

        private void handover(String to, HandoverReason reason) {
            later(Duration.ofMinutes(random.nextInt(1, 30)));
            if (add(new HandOverCaseCommand(caseId, id(), holder, to, reason, null, t))) {
                holder = to;
                handovers++;
            }
        }

        private void decision(String unit) {
            add(new RecordDecisionCommand(caseId, id(), random.nextDouble() < 0.8 ? DecisionOutcome.GRANTED
                    : DecisionOutcome.REFUSED, unit, t));
        }

        private void decideAndResolve(String unit) {
            decision(unit);
            resolve(unit);
        }

        private void resolve(String unit) {
            add(new ResolveCaseCommand(caseId, id(), unit, t));
        }

        private void satisfaction(Channel channel) {
            double score = 4.4 - 0.45 * handovers - 0.6 * inquiries + random.nextGaussian() * 0.8;
            later(Duration.ofHours(random.nextInt(1, 48)));
            add(new RecordSatisfactionCommand(caseId, id(), (int) Math.max(1, Math.min(5, Math.round(score))),
                                              channel, t));
        }

        private void correct() {
            String contact = contactIds.get(random.nextInt(contactIds.size()));
            RecordContactCommand original = (RecordContactCommand) commands.stream()
                    .filter(c -> c.entryId().equals(contact)).findFirst().orElseThrow();
            later(Duration.ofMinutes(random.nextInt(5, 600)));
            add(new CorrectEntryCommand(caseId, id(), contact, "contact ended later than recorded",
                                        new EntryChanges(null, null, null, null, null, null, null,
                                                         original.endedAt().plusSeconds(300), null, null, null, null,
                                                         null), false, t));
        }

        private boolean add(CaseCommand command) {
            if (stopped || command.businessTimes().values().stream().anyMatch(time -> time.isAfter(now))) {
                stopped = true;
                return false;
            }
            commands.add(command);
            return true;
        }

        private void later(Duration duration) {
            t = t.plus(duration);
        }

        private Instant openAt(String unit, Instant at) {
            return calendars.forUnit(unit, SimulatedUnits.KINDS.get(unit)).nextOpening(at);
        }

        private String id() {
            return "e" + ++entries;
        }

        private String staff(String unit) {
            return unit + "-" + (1 + random.nextInt(40));
        }
    }
}
