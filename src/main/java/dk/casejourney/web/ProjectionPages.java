package dk.casejourney.web;

import dk.casejourney.audit.api.FindProjectionsQuery;
import dk.casejourney.audit.api.FindRebuildQuery;
import dk.casejourney.audit.api.ProjectionList;
import dk.casejourney.audit.api.Rebuild;
import dk.casejourney.audit.api.StartRebuildCommand;
import dk.casejourney.common.Identifiers;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

import java.util.regex.Pattern;

/**
 * The read models: position, lag and state of each, and rebuilds started from the page whose progress the page
 * polls (htmx) until the verification result is in.
 */
@Controller
class ProjectionPages {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private final CommandGateway commands;
    private final QueryGateway queries;

    ProjectionPages(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    @GetMapping("/app/projections")
    String projections(Model model) {
        model.addAttribute("projections", queries.query(new FindProjectionsQuery(), ProjectionList.class).join());
        return "web/projections";
    }

    @GetMapping("/app/projections/table")
    String table(Model model) {
        model.addAttribute("projections", queries.query(new FindProjectionsQuery(), ProjectionList.class).join());
        return "web/projections :: table";
    }

    @PostMapping("/app/projections/{name}/rebuilds")
    String rebuild(@PathVariable String name, Model model) {
        requireName(name);
        String id = commands.sendAndWait(new StartRebuildCommand(name, Identifiers.random()));
        return progress(name, id, model);
    }

    @GetMapping("/app/projections/{name}/rebuilds/{id}")
    String progress(@PathVariable String name, @PathVariable String id, Model model) {
        requireName(name);
        requireName(id);
        Rebuild rebuild = queries.query(new FindRebuildQuery(name, id), ResponseTypes.optionalInstanceOf(Rebuild.class))
                                 .join().orElseThrow(() -> new PageNotFound("error.noSuchProjection"));
        model.addAttribute("rebuild", rebuild);
        model.addAttribute("finished", rebuild.phase() == Rebuild.Phase.DONE || rebuild.phase() == Rebuild.Phase.FAILED);
        return "web/rebuild :: progress";
    }

    private static void requireName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new PageNotFound("error.noSuchProjection");
        }
    }
}
