package dk.casejourney.web;

import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.Channel;
import dk.casejourney.journey.api.ContactPurpose;
import dk.casejourney.journey.api.CorrectEntryCommand;
import dk.casejourney.journey.api.DecisionOutcome;
import dk.casejourney.journey.api.Direction;
import dk.casejourney.journey.api.EntryChanges;
import dk.casejourney.journey.api.HandOverCaseCommand;
import dk.casejourney.journey.api.HandoverReason;
import dk.casejourney.journey.api.InformationType;
import dk.casejourney.journey.api.ProvideInformationCommand;
import dk.casejourney.journey.api.RecordContactCommand;
import dk.casejourney.journey.api.RecordDecisionCommand;
import dk.casejourney.journey.api.RecordSatisfactionCommand;
import dk.casejourney.journey.api.RecordWorkCommand;
import dk.casejourney.journey.api.ReopenCaseCommand;
import dk.casejourney.journey.api.ReopenReason;
import dk.casejourney.journey.api.RequestInformationCommand;
import dk.casejourney.journey.api.ResolveCaseCommand;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The recording forms of the case page, one per write of the API, with the same field names as the API's JSON
 * bodies, so a refusal naming a field (from the page's own checks or from the case's rules) lands at that
 * field. Times are entered as Copenhagen wall-clock time.
 */
final class RecordingForms {

    private static final Pattern UNIT = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._:/-]{0,99}");

    enum Kind { CHOICE, UNIT, TEXT, TIME, DATE, SCORE, CHECK, ENTRY }

    /** One input; {@code choices} for CHOICE. */
    record Field(String name, Kind kind, boolean required, List<? extends Enum<?>> choices) {

        static Field choice(String name, Class<? extends Enum<?>> type, boolean required) {
            return new Field(name, Kind.CHOICE, required, Arrays.asList(type.getEnumConstants()));
        }

        static Field of(String name, Kind kind, boolean required) {
            return new Field(name, kind, required, List.of());
        }

        /** The element id: the name without the dots of nested fields, which CSS selectors would need escaped. */
        public String id() {
            return "f-" + name.replace('.', '-');
        }
    }

    /** @param collection the API's collection name, also the form's name and the Idempotency-Key scope */
    record Form(String collection, List<Field> fields, BiFunction<Values, Ids, CaseCommand> command) {

        Optional<Field> field(String name) {
            return fields.stream().filter(field -> field.name().equals(name)).findFirst();
        }
    }

    record Ids(String caseId, String entryId) {
    }

    static final List<Form> FORMS = List.of(
            new Form("contacts", List.of(
                    Field.choice("channel", Channel.class, true), Field.choice("direction", Direction.class, true),
                    Field.choice("purpose", ContactPurpose.class, true), Field.of("unit", Kind.UNIT, true),
                    Field.of("staffId", Kind.UNIT, false), Field.of("queuedAt", Kind.TIME, false),
                    Field.of("startedAt", Kind.TIME, true), Field.of("endedAt", Kind.TIME, true)),
                     (v, ids) -> new RecordContactCommand(ids.caseId(), ids.entryId(), v.choice("channel", Channel.class),
                                                          v.choice("direction", Direction.class), v.text("unit"),
                                                          v.text("staffId"), v.choice("purpose", ContactPurpose.class),
                                                          v.time("queuedAt"), v.time("startedAt"), v.time("endedAt"))),
            new Form("handovers", List.of(
                    Field.of("fromUnit", Kind.UNIT, true), Field.of("toUnit", Kind.UNIT, true),
                    Field.choice("reason", HandoverReason.class, true), Field.of("note", Kind.TEXT, false),
                    Field.of("occurredAt", Kind.TIME, true)),
                     (v, ids) -> new HandOverCaseCommand(ids.caseId(), ids.entryId(), v.text("fromUnit"), v.text("toUnit"),
                                                         v.choice("reason", HandoverReason.class), v.text("note"),
                                                         v.time("occurredAt"))),
            new Form("information-requests", List.of(
                    Field.choice("informationType", InformationType.class, true), Field.of("dueDate", Kind.DATE, false),
                    Field.of("unit", Kind.UNIT, true), Field.of("occurredAt", Kind.TIME, true)),
                     (v, ids) -> new RequestInformationCommand(ids.caseId(), ids.entryId(),
                                                               v.choice("informationType", InformationType.class),
                                                               v.date("dueDate"), v.text("unit"), v.time("occurredAt"))),
            new Form("information", List.of(
                    Field.choice("informationType", InformationType.class, true), Field.choice("channel", Channel.class, true),
                    Field.of("unit", Kind.UNIT, true), Field.of("answersRequestId", Kind.TEXT, false),
                    Field.of("occurredAt", Kind.TIME, true)),
                     (v, ids) -> new ProvideInformationCommand(ids.caseId(), ids.entryId(),
                                                               v.choice("informationType", InformationType.class),
                                                               v.choice("channel", Channel.class), v.text("unit"),
                                                               v.text("answersRequestId"), v.time("occurredAt"))),
            new Form("work", List.of(
                    Field.of("unit", Kind.UNIT, true), Field.of("staffId", Kind.UNIT, false),
                    Field.of("activity", Kind.TEXT, true), Field.of("startedAt", Kind.TIME, true),
                    Field.of("endedAt", Kind.TIME, true)),
                     (v, ids) -> new RecordWorkCommand(ids.caseId(), ids.entryId(), v.text("unit"), v.text("staffId"),
                                                       v.text("activity"), v.time("startedAt"), v.time("endedAt"),
                                                       null, null)),
            new Form("decisions", List.of(
                    Field.choice("outcome", DecisionOutcome.class, true), Field.of("unit", Kind.UNIT, true),
                    Field.of("occurredAt", Kind.TIME, true)),
                     (v, ids) -> new RecordDecisionCommand(ids.caseId(), ids.entryId(),
                                                           v.choice("outcome", DecisionOutcome.class), v.text("unit"),
                                                           v.time("occurredAt"))),
            new Form("resolution", List.of(Field.of("unit", Kind.UNIT, true), Field.of("occurredAt", Kind.TIME, true)),
                     (v, ids) -> new ResolveCaseCommand(ids.caseId(), ids.entryId(), v.text("unit"), v.time("occurredAt"))),
            new Form("reopenings", List.of(
                    Field.choice("reason", ReopenReason.class, true), Field.of("unit", Kind.UNIT, true),
                    Field.of("occurredAt", Kind.TIME, true)),
                     (v, ids) -> new ReopenCaseCommand(ids.caseId(), ids.entryId(), v.choice("reason", ReopenReason.class),
                                                       v.text("unit"), v.time("occurredAt"))),
            new Form("satisfaction", List.of(
                    Field.of("score", Kind.SCORE, true), Field.choice("channel", Channel.class, true),
                    Field.of("occurredAt", Kind.TIME, true)),
                     (v, ids) -> new RecordSatisfactionCommand(ids.caseId(), ids.entryId(), v.score("score"),
                                                               v.choice("channel", Channel.class), v.time("occurredAt"))),
            new Form("corrections", List.of(
                    Field.of("correctedEntryId", Kind.ENTRY, true), Field.of("reason", Kind.TEXT, true),
                    Field.of("voidEntry", Kind.CHECK, false),
                    Field.choice("changes.channel", Channel.class, false), Field.of("changes.unit", Kind.UNIT, false),
                    Field.of("changes.startedAt", Kind.TIME, false), Field.of("changes.endedAt", Kind.TIME, false),
                    Field.choice("changes.outcome", DecisionOutcome.class, false),
                    Field.of("changes.score", Kind.SCORE, false), Field.of("changes.occurredAt", Kind.TIME, false),
                    Field.of("occurredAt", Kind.TIME, true)),
                     (v, ids) -> new CorrectEntryCommand(ids.caseId(), ids.entryId(), v.text("correctedEntryId"),
                                                         v.text("reason"), v.changes(), v.check("voidEntry"),
                                                         v.time("occurredAt"))));

    private RecordingForms() {
    }

    static Optional<Form> form(String collection) {
        return FORMS.stream().filter(form -> form.collection().equals(collection)).findFirst();
    }

    /**
     * The form's input checked and converted, each problem under its field's name (message keys of the
     * page's bundle, so the reader sees them in their language).
     */
    static Values parse(Form form, Map<String, String> input) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (Field field : form.fields()) {
            String raw = input.get(field.name());
            String text = raw == null ? "" : raw.strip();
            if (field.kind() == Kind.CHECK) {
                values.put(field.name(), "on".equals(text) || "true".equals(text));
                continue;
            }
            if (text.isEmpty()) {
                if (field.required()) {
                    errors.put(field.name(), "error.required");
                }
                continue;
            }
            try {
                values.put(field.name(), switch (field.kind()) {
                    case CHOICE -> field.choices().stream().filter(choice -> choice.name().equals(text)).findFirst()
                                        .orElseThrow(() -> new Refused("error.choice"));
                    case UNIT -> {
                        if (!UNIT.matcher(text).matches()) {
                            throw new Refused("error.unit");
                        }
                        yield text;
                    }
                    case TEXT, ENTRY -> {
                        if (text.length() > 2000) {
                            throw new Refused("error.tooLong");
                        }
                        yield text;
                    }
                    case TIME -> time(text);
                    case DATE -> date(text);
                    case SCORE -> score(text);
                    case CHECK -> throw new IllegalStateException("handled above");
                });
            } catch (Refused refused) {
                errors.put(field.name(), refused.getMessage());
            }
        }
        return new Values(values, errors);
    }

    private static Instant time(String text) {
        try {
            return LocalDateTime.parse(text).atZone(Display.COPENHAGEN).toInstant();
        } catch (DateTimeException e) {
            throw new Refused("error.time");
        }
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeException e) {
            throw new Refused("error.date");
        }
    }

    private static Integer score(String text) {
        try {
            int score = Integer.parseInt(text);
            if (score < 1 || score > 5) {
                throw new Refused("error.score");
            }
            return score;
        } catch (NumberFormatException e) {
            throw new Refused("error.score");
        }
    }

    /** A field the page refuses, with the message key saying why. */
    static final class Refused extends RuntimeException {
        Refused(String key) {
            super(key, null, false, false);
        }
    }

    /** Converted values by field name, and the fields refused (message keys). */
    record Values(Map<String, Object> values, Map<String, String> errors) {

        String text(String name) {
            return (String) values.get(name);
        }

        Instant time(String name) {
            return (Instant) values.get(name);
        }

        LocalDate date(String name) {
            return (LocalDate) values.get(name);
        }

        int score(String name) {
            return (Integer) values.get(name);
        }

        boolean check(String name) {
            return Boolean.TRUE.equals(values.get(name));
        }

        <E extends Enum<E>> E choice(String name, Class<E> type) {
            return type.cast(values.get(name));
        }

        /** The corrected fields; null when the correction changes none (a voiding one). */
        EntryChanges changes() {
            boolean any = values.keySet().stream().anyMatch(name -> name.startsWith("changes."));
            if (!any) {
                return null;
            }
            return new EntryChanges(choice("changes.channel", Channel.class), null, text("changes.unit"), null, null,
                                    null, time("changes.startedAt"), time("changes.endedAt"), null, null,
                                    choice("changes.outcome", DecisionOutcome.class),
                                    (Integer) values.get("changes.score"), time("changes.occurredAt"));
        }

        /** What the Idempotency-Key's fingerprint covers: the fields as entered, in a fixed order. */
        static Map<String, String> fingerprintOf(Form form, Map<String, String> input) {
            Map<String, String> body = new LinkedHashMap<>();
            form.fields().forEach(field -> body.put(field.name(), input.getOrDefault(field.name(), "").strip()));
            return body;
        }
    }
}
