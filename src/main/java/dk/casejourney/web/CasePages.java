package dk.casejourney.web;

import dk.casejourney.common.Identifiers;
import dk.casejourney.common.Recording;
import dk.casejourney.common.RuleViolation;
import dk.casejourney.evaluation.api.FindJourneyQuery;
import dk.casejourney.evaluation.api.Journey;
import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.CaseHistory;
import dk.casejourney.journey.api.CaseList;
import dk.casejourney.journey.api.CaseStatus;
import dk.casejourney.journey.api.CaseView;
import dk.casejourney.journey.api.FindCaseHistoryQuery;
import dk.casejourney.journey.api.FindCaseQuery;
import dk.casejourney.journey.api.FindCasesQuery;
import dk.casejourney.journey.api.HistoryEntry;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The caseworker's pages: search (by POST, so a CPR number never appears in a URL or the browser's history),
 * the case page and its recording forms. Every write is the API's command through the command gateway, with
 * the form's Idempotency-Key, so a double click records nothing twice.
 */
@Controller
@RequestMapping("/app/cases")
class CasePages {

    static final Pattern CASE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern CPR = Pattern.compile("\\d{6}-?\\d{4}");

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final Recording recording;
    private final ReadModelWait readModels;

    CasePages(CommandGateway commands, QueryGateway queries, Recording recording, ReadModelWait readModels) {
        this.commands = commands;
        this.queries = queries;
        this.recording = recording;
        this.readModels = readModels;
    }

    @GetMapping
    String searchPage(Model model) {
        model.addAttribute("statuses", CaseStatus.values());
        return "web/cases";
    }

    /** A search's address reloaded or bookmarked: the empty search (its criteria were never in the URL). */
    @GetMapping("/search")
    String searchAgain() {
        return "redirect:/app/cases";
    }

    /** The result list alone for htmx, the whole page otherwise. */
    @PostMapping("/search")
    String search(@RequestParam(defaultValue = "") String cpr, @RequestParam(defaultValue = "") String unit,
                  @RequestParam(defaultValue = "") String status,
                  HttpServletRequest request, Model model) {
        model.addAttribute("statuses", CaseStatus.values());
        model.addAttribute("unit", unit.strip());
        model.addAttribute("status", status);
        Map<String, String> errors = new LinkedHashMap<>();
        String cprText = cpr.strip();
        if (!cprText.isEmpty() && !CPR.matcher(cprText).matches()) {
            errors.put("cpr", "error.cpr");
        }
        if (unit.strip().length() > 100) {
            errors.put("unit", "error.tooLong");
        }
        CaseStatus parsedStatus = null;
        if (!status.isBlank()) {
            try {
                parsedStatus = CaseStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                errors.put("status", "error.choice");
            }
        }
        if (cprText.isEmpty() && unit.isBlank() && parsedStatus == null && errors.isEmpty()) {
            errors.put("cpr", "error.criterion");
        }
        model.addAttribute("errors", errors);
        model.addAttribute("searched", true);
        if (errors.isEmpty()) {
            CaseList found = queries.query(new FindCasesQuery(cprText.isEmpty() ? null : cprText,
                                                              unit.isBlank() ? null : unit.strip(), parsedStatus,
                                                              0, 100), CaseList.class).join();
            model.addAttribute("result", found);
        }
        // The CPR number goes back into nothing: neither the page, nor a URL, nor the title.
        return request.getHeader("HX-Request") != null ? "web/cases :: results" : "web/cases";
    }

    @GetMapping("/{caseId}")
    String casePage(@PathVariable String caseId, Model model, HttpServletResponse response) {
        return render(caseId, model, response, null, Map.of(), Map.of(), null);
    }

    @PostMapping("/{caseId}/record/{collection}")
    String record(@PathVariable String caseId, @PathVariable String collection,
                  @RequestParam Map<String, String> input, Principal principal, Model model,
                  HttpServletResponse response, RedirectAttributes redirect) {
        requireCaseId(caseId);
        RecordingForms.Form form = RecordingForms.form(collection)
                                                 .orElseThrow(() -> new PageNotFound("error.noSuchForm"));
        RecordingForms.Values values = RecordingForms.parse(form, input);
        Map<String, String> errors = new LinkedHashMap<>(values.errors());
        String general = null;
        if (errors.isEmpty()) {
            String key = input.get("idempotencyKey");
            try {
                Recording.Request request = recording.request("cases/" + caseId + "/" + collection,
                                                              key == null || key.isBlank() ? null : key.strip(),
                                                              RecordingForms.Values.fingerprintOf(form, input),
                                                              principal);
                CaseCommand command = form.command().apply(values, new RecordingForms.Ids(caseId, request.newId("entry")));
                commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(request.metaData()));
                redirect.addFlashAttribute("recorded", collection);
                // The page it leads to shows what was just recorded, or says that it does not yet.
                if (!readModels.untilEverythingRecordedIsShown()) {
                    redirect.addFlashAttribute("pending", true);
                }
                return "redirect:/app/cases/" + caseId + "#timeline";
            } catch (CommandExecutionException refused) {
                RuleViolation.Details details = refused.getDetails().filter(RuleViolation.Details.class::isInstance)
                                                       .map(RuleViolation.Details.class::cast)
                                                       .orElseThrow(() -> refused);
                if (form.field(details.field()).isPresent()) {
                    errors.put(details.field(), details.reason());
                } else {
                    general = details.field() + ": " + details.reason();
                }
            } catch (RuleViolation violation) {
                general = violation.field() + ": " + violation.reason();
            } catch (ConcurrencyException concurrent) {
                general = "error.concurrent";
            }
        }
        return render(caseId, model, response, collection, input, errors, general);
    }

    private String render(String caseId, Model model, HttpServletResponse response, String openForm,
                          Map<String, String> input, Map<String, String> errors, String general) {
        requireCaseId(caseId);
        Optional<CaseView> found = caseView(caseId);
        if (found.isEmpty()) {
            // Perhaps opened a moment ago, and not in the read model yet.
            if (!readModels.untilEverythingRecordedIsShown()) {
                throw new PageNotFound("error.caseNotShownYet");
            }
            found = caseView(caseId);
        }
        CaseView view = found.orElseThrow(() -> new PageNotFound("error.noSuchCase"));
        CaseHistory history = queries.query(new FindCaseHistoryQuery(caseId),
                                            ResponseTypes.optionalInstanceOf(CaseHistory.class)).join()
                                     .orElse(new CaseHistory(caseId, view.citizenErased(), List.of()));
        Optional<Journey> journey = queries.query(new FindJourneyQuery(caseId),
                                                  ResponseTypes.optionalInstanceOf(Journey.class)).join();
        model.addAttribute("view", view);
        model.addAttribute("history", history);
        model.addAttribute("journey", journey.orElse(null));
        model.addAttribute("forms", RecordingForms.FORMS);
        model.addAttribute("correctable", history.entries().stream()
                                                 .filter(entry -> CORRECTABLE.contains(entry.type())
                                                         && entry.state() != HistoryEntry.State.VOID)
                                                 .toList());
        model.addAttribute("openForm", openForm);
        model.addAttribute("input", input);
        model.addAttribute("errors", errors);
        model.addAttribute("general", general);
        model.addAttribute("idempotencyKey", Identifiers.random());
        if (openForm != null && (!errors.isEmpty() || general != null)) {
            response.setStatus(HttpStatus.UNPROCESSABLE_ENTITY.value());
            // The refused form keeps its key: sending it again, corrected or not, still records at most once.
            String key = input.get("idempotencyKey");
            if (key != null && !key.isBlank()) {
                model.addAttribute("idempotencyKey", key);
            }
        }
        return "web/case";
    }

    private Optional<CaseView> caseView(String caseId) {
        return queries.query(new FindCaseQuery(caseId), ResponseTypes.optionalInstanceOf(CaseView.class)).join();
    }

    static final List<String> CORRECTABLE = List.of("ContactRecorded", "InformationProvided", "WorkRecorded",
                                                     "DecisionRecorded", "SatisfactionRecorded");

    static void requireCaseId(String caseId) {
        if (!CASE_ID.matcher(caseId).matches()) {
            throw new PageNotFound("error.noSuchCase");
        }
    }
}
