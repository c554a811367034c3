package dk.casejourney.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

import java.text.NumberFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the pages show times, durations, shares and labels: Europe/Copenhagen, the Danish date format, and
 * durations as people read them ({@code 2 t 15 min}, {@code 3 arbejdsdage}), never milliseconds. Used from the
 * templates as {@code @display}.
 */
@Component("display")
class Display {

    static final ZoneId COPENHAGEN = ZoneId.of("Europe/Copenhagen");
    /** The whole-case calendar's working day (Mon–Fri 08:00–16:00): business time is counted in these. */
    static final long WORKING_DAY_MS = 8 * 3_600_000L;
    private static final DateTimeFormatter DA_TIME = DateTimeFormatter.ofPattern("d. MMM yyyy 'kl.' HH.mm", WebConfiguration.DANISH);
    private static final DateTimeFormatter EN_TIME = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DA_DATE = DateTimeFormatter.ofPattern("d. MMM yyyy", WebConfiguration.DANISH);
    private static final DateTimeFormatter EN_DATE = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

    private final MessageSource messages;

    Display(MessageSource messages) {
        this.messages = messages;
    }

    static boolean english(Locale locale) {
        return "en".equals(locale.getLanguage());
    }

    private static Locale locale() {
        return LocaleContextHolder.getLocale();
    }

    public String time(Instant instant) {
        return time(instant, locale());
    }

    static String time(Instant instant, Locale locale) {
        if (instant == null) {
            return "–";
        }
        return (english(locale) ? EN_TIME : DA_TIME).format(instant.atZone(COPENHAGEN));
    }

    public String date(LocalDate date) {
        return date == null ? "–" : (english(locale()) ? EN_DATE : DA_DATE).format(date);
    }

    /** The value for a datetime-local input: Copenhagen wall-clock time to the minute. */
    public String inputTime(Instant instant) {
        return instant == null ? "" : instant.atZone(COPENHAGEN).toLocalDateTime().withSecond(0).withNano(0).toString();
    }

    public String nowInput() {
        return inputTime(Instant.now());
    }

    private static final java.util.Set<String> HIDDEN_DETAILS = java.util.Set.of("entryId", "caseId", "lifecycle");
    private static final List<Class<? extends Enum<?>>> LABELLED = List.of(
            dk.casejourney.journey.api.Channel.class, dk.casejourney.journey.api.Direction.class,
            dk.casejourney.journey.api.ContactPurpose.class, dk.casejourney.journey.api.HandoverReason.class,
            dk.casejourney.journey.api.ReopenReason.class, dk.casejourney.journey.api.InformationType.class,
            dk.casejourney.journey.api.DecisionOutcome.class, dk.casejourney.journey.api.CitizenGroup.class,
            dk.casejourney.journey.api.ServiceArea.class, dk.casejourney.journey.api.AgeBand.class);

    /** An entry's recorded fields as label and readable value, in recorded order; ids and empty values left out. */
    public List<Map.Entry<String, String>> details(JsonNode details) {
        List<Map.Entry<String, String>> shown = new ArrayList<>();
        if (details == null || !details.isObject()) {
            return shown;
        }
        Locale locale = locale();
        details.properties().forEach(property -> {
            JsonNode value = property.getValue();
            if (HIDDEN_DETAILS.contains(property.getKey()) || value.isNull() || value.isMissingNode()
                    || value.isContainerNode() && value.isEmpty()) {
                return;
            }
            String label = messages.getMessage("field." + property.getKey(), null, property.getKey(), locale);
            shown.add(Map.entry(label, value(value)));
        });
        return shown;
    }

    private String value(JsonNode value) {
        if (value.isContainerNode()) {
            return value.toString();
        }
        String text = value.asText();
        if (value.isTextual() && text.length() >= 20 && text.charAt(4) == '-' && text.contains("T")) {
            try {
                return time(Instant.parse(text));
            } catch (java.time.format.DateTimeParseException notATime) {
                return text;
            }
        }
        for (Class<? extends Enum<?>> type : LABELLED) {
            for (Enum<?> constant : type.getEnumConstants()) {
                if (constant.name().equals(text)) {
                    return label(constant);
                }
            }
        }
        return text;
    }

    public String duration(Number millis) {
        return millis == null ? "–" : duration(millis.doubleValue(), locale());
    }

    public String durationSince(Instant since) {
        return since == null ? "–" : duration((double) (Instant.now().toEpochMilli() - since.toEpochMilli()), locale());
    }

    /** Calendar time: {@code 45 s}, {@code 15 min}, {@code 2 t 15 min}, {@code 3 dage 4 t}. */
    static String duration(double millis, Locale locale) {
        boolean en = english(locale);
        String sign = millis < 0 ? "−" : "";
        double ms = Math.abs(millis);
        if (ms < 60_000) {
            return sign + Math.round(ms / 1000) + " s";
        }
        long minutes = Math.round(ms / 60_000);
        long days = minutes / 1440;
        long hours = (minutes % 1440) / 60;
        long rest = minutes % 60;
        String h = en ? " h" : " t";
        if (days > 0) {
            String day = days == 1 ? (en ? " day" : " dag") : (en ? " days" : " dage");
            return sign + days + day + (hours > 0 ? " " + hours + h : "");
        }
        if (hours > 0) {
            return sign + hours + h + (rest > 0 ? " " + rest + " min" : "");
        }
        return sign + rest + " min";
    }

    public String businessDuration(Number millis) {
        return millis == null ? "–" : businessDuration(millis.doubleValue(), locale());
    }

    /** Time inside opening hours: under a working day as hours and minutes, else in working days. */
    static String businessDuration(double millis, Locale locale) {
        if (Math.abs(millis) < WORKING_DAY_MS) {
            return duration(millis, locale);
        }
        boolean en = english(locale);
        double days = Math.round(millis / WORKING_DAY_MS * 10) / 10.0;
        NumberFormat format = NumberFormat.getNumberInstance(en ? Locale.ENGLISH : WebConfiguration.DANISH);
        format.setMaximumFractionDigits(1);
        String unit = Math.abs(days) == 1 ? (en ? " working day" : " arbejdsdag") : (en ? " working days" : " arbejdsdage");
        return format.format(days) + unit;
    }

    public String minutes(Number minutes) {
        return minutes == null ? "–" : duration(minutes.doubleValue() * 60_000, locale());
    }

    public String percent(Number share) {
        if (share == null) {
            return "–";
        }
        NumberFormat format = NumberFormat.getPercentInstance(english(locale()) ? Locale.ENGLISH : WebConfiguration.DANISH);
        format.setMaximumFractionDigits(1);
        return format.format(share.doubleValue());
    }

    /** A difference of two shares: {@code +3,2 procentpoint} / {@code +3.2 percentage points}. */
    public String percentagePoints(Number difference) {
        if (difference == null) {
            return "–";
        }
        return number(difference.doubleValue() * 100) + (english(locale()) ? " percentage points" : " procentpoint");
    }

    public String number(Number value) {
        if (value == null) {
            return "–";
        }
        NumberFormat format = NumberFormat.getNumberInstance(english(locale()) ? Locale.ENGLISH : WebConfiguration.DANISH);
        format.setMaximumFractionDigits(1);
        return format.format(value.doubleValue());
    }

    /** An enum constant or entry type in the reader's language; the constant itself when no label exists. */
    public String label(Object value) {
        if (value == null) {
            return "–";
        }
        String key = value instanceof Enum<?> constant
                ? "enum." + constant.getDeclaringClass().getSimpleName() + "." + constant.name()
                : "label." + value;
        return messages.getMessage(key, null, value.toString(), locale());
    }

    /** A CPR number shown only as far as needed to tell citizens apart: the birth date part. */
    public String maskedCpr(String cpr) {
        if (cpr == null) {
            return "–";
        }
        String digits = cpr.replace("-", "");
        return digits.length() == 10 ? digits.substring(0, 6) + "-××××" : "××××××-××××";
    }
}
