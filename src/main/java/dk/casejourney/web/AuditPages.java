package dk.casejourney.web;

import com.fasterxml.jackson.databind.JsonNode;
import dk.casejourney.audit.api.AccessLog;
import dk.casejourney.audit.api.AsOfBasis;
import dk.casejourney.audit.api.CaseAsOf;
import dk.casejourney.audit.api.ChainVerification;
import dk.casejourney.audit.api.FindAccessLogQuery;
import dk.casejourney.audit.api.FindCaseAsOfQuery;
import dk.casejourney.audit.api.LedgerVerification;
import dk.casejourney.audit.api.VerifyCaseChainQuery;
import dk.casejourney.audit.api.VerifyLedgerQuery;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The auditor's pages: a case as of any moment with its figures then and the difference to today, chain
 * verification of a case and of the ledger, and the access log of a citizen (asked by POST: the CPR number
 * stays out of URLs and history).
 */
@Controller
class AuditPages {

    private static final Pattern CPR = Pattern.compile("\\d{6}-?\\d{4}");
    /** The journey figures shown as of a moment and today: name in the figures, and how to show it. */
    private static final List<String[]> FIGURES = List.of(
            new String[]{"leadTime", "duration"}, new String[]{"leadTimeBusiness", "business"},
            new String[]{"handlingTime", "duration"}, new String[]{"waitingForCitizen", "duration"},
            new String[]{"waitingForMunicipality", "duration"}, new String[]{"serviceSteps", "number"},
            new String[]{"touchpoints", "number"}, new String[]{"handovers", "number"}, new String[]{"returns", "number"},
            new String[]{"repeatedInformation", "number"}, new String[]{"avoidableContacts", "number"},
            new String[]{"staffMinutes", "minutes"});

    private final QueryGateway queries;
    private final Display display;
    private final MessageSource messages;

    AuditPages(QueryGateway queries, Display display, MessageSource messages) {
        this.queries = queries;
        this.display = display;
        this.messages = messages;
    }

    @GetMapping("/app/audit")
    String start(Model model) {
        model.addAttribute("now", display.nowInput());
        return "web/audit";
    }

    /** One figure then and today. */
    record FigureRow(String name, String then, String today, String difference) {
    }

    @GetMapping("/app/audit/cases")
    String asOf(@RequestParam(defaultValue = "") String caseId, @RequestParam(defaultValue = "") String asOf,
                @RequestParam(defaultValue = "recorded") String basis, Model model) {
        Map<String, String> errors = new LinkedHashMap<>();
        String id = caseId.strip();
        if (!CasePages.CASE_ID.matcher(id).matches()) {
            errors.put("caseId", "error.required");
        }
        Instant moment = Instant.now();
        if (!asOf.isBlank()) {
            try {
                moment = LocalDateTime.parse(asOf.strip()).atZone(Display.COPENHAGEN).toInstant();
            } catch (DateTimeException e) {
                errors.put("asOf", "error.time");
            }
        }
        AsOfBasis parsedBasis = "occurred".equals(basis) ? AsOfBasis.OCCURRED : AsOfBasis.RECORDED;
        model.addAttribute("caseId", id);
        model.addAttribute("asOf", asOf.isBlank() ? display.inputTime(moment) : asOf.strip());
        model.addAttribute("basis", parsedBasis.name().toLowerCase(java.util.Locale.ROOT));
        model.addAttribute("errors", errors);
        model.addAttribute("now", display.nowInput());
        if (!errors.isEmpty()) {
            return "web/audit";
        }
        CompletableFuture<java.util.Optional<CaseAsOf>> then = queries.query(
                new FindCaseAsOfQuery(id, moment, parsedBasis), ResponseTypes.optionalInstanceOf(CaseAsOf.class));
        CompletableFuture<java.util.Optional<CaseAsOf>> today = queries.query(
                new FindCaseAsOfQuery(id, Instant.now(), AsOfBasis.RECORDED), ResponseTypes.optionalInstanceOf(CaseAsOf.class));
        CaseAsOf atMoment = then.join().orElse(null);
        CaseAsOf now = today.join().orElseThrow(() -> new PageNotFound("error.noSuchCase"));
        model.addAttribute("then", atMoment);
        model.addAttribute("today", now);
        model.addAttribute("figures", figures(atMoment, now));
        return "web/audit-case";
    }

    private List<FigureRow> figures(CaseAsOf then, CaseAsOf today) {
        List<FigureRow> rows = new ArrayList<>();
        if (then == null || then.figures() == null || !then.figures().computed() || today.figures() == null
                || !today.figures().computed()) {
            return rows;
        }
        for (String[] figure : FIGURES) {
            Double before = number(then.figures().values().get(figure[0]));
            Double after = number(today.figures().values().get(figure[0]));
            Double difference = before == null || after == null ? null : after - before;
            String name = messages.getMessage("audit.figure." + figure[0], null, figure[0], LocaleContextHolder.getLocale());
            rows.add(new FigureRow(name, show(before, figure[1]), show(after, figure[1]),
                                   difference == null ? "–" : (difference > 0 ? "+" : "") + show(difference, figure[1])));
        }
        return rows;
    }

    /** A figure's number: a plain number, or a duration's milliseconds. */
    private static Double number(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        JsonNode millis = node.get("millis");
        return millis == null ? null : millis.asDouble();
    }

    private String show(Double value, String kind) {
        return switch (kind) {
            case "duration" -> display.duration(value);
            case "business" -> display.businessDuration(value);
            case "minutes" -> display.minutes(value);
            default -> display.number(value);
        };
    }

    @GetMapping("/app/audit/cases/{caseId}/verification")
    String caseVerification(@PathVariable String caseId, Model model) {
        CasePages.requireCaseId(caseId);
        ChainVerification verification = queries.query(new VerifyCaseChainQuery(caseId),
                                                       ResponseTypes.optionalInstanceOf(ChainVerification.class))
                                                .join().orElseThrow(() -> new PageNotFound("error.noSuchCase"));
        model.addAttribute("verification", verification);
        return "web/verdicts :: case";
    }

    @PostMapping("/app/ledger/verification")
    String ledgerVerification(Model model) {
        model.addAttribute("ledger", queries.query(new VerifyLedgerQuery(), LedgerVerification.class).join());
        return "web/verdicts :: ledger";
    }

    @GetMapping("/app/audit/access-log")
    String accessLogPage() {
        return "web/access-log";
    }

    @PostMapping("/app/audit/access-log")
    String accessLog(@RequestParam(defaultValue = "") String cpr, Model model) {
        String text = cpr.strip();
        if (!CPR.matcher(text).matches()) {
            model.addAttribute("error", "error.cpr");
            return "web/access-log";
        }
        model.addAttribute("log", queries.query(new FindAccessLogQuery(text), AccessLog.class).join());
        return "web/access-log";
    }
}
