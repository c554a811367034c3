package dk.casejourney.web;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The login page, and {@code /}: the start page of the signed-in person's role. */
@Controller
class StartPages {

    /** In this order: a person with several roles starts where their first role starts. */
    private static final List<String[]> START_PAGES = List.of(
            new String[]{"ROLE_CASEWORKER", "/app/cases"},
            new String[]{"ROLE_MANAGER", "/app/evaluation"},
            new String[]{"ROLE_AUDITOR", "/app/audit"},
            new String[]{"ROLE_ADMIN", "/app/projections"});

    @GetMapping("/login")
    String login() {
        return "web/login";
    }

    @GetMapping("/")
    String start(Authentication authentication) {
        Set<String> roles = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                                          .collect(Collectors.toSet());
        return START_PAGES.stream().filter(page -> roles.contains(page[0])).findFirst()
                          .map(page -> "redirect:" + page[1])
                          .orElse("web/no-role");
    }
}
