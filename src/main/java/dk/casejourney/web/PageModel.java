package dk.casejourney.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.Map;

/** What every page's header needs: the links that switch the language while staying on the page. */
@ControllerAdvice(basePackageClasses = PageModel.class)
class PageModel {

    @ModelAttribute("langLinks")
    Map<String, String> langLinks(HttpServletRequest request) {
        // A POST answer (a search, a refused form) switches language on the page's GET address; the query string
        // of a GET page (the evaluation's filters) is kept, and it never holds a CPR number.
        String query = "GET".equals(request.getMethod()) ? request.getQueryString() : null;
        String path = request.getRequestURI();
        if (!"GET".equals(request.getMethod())) {
            int record = path.indexOf("/record/");
            path = record >= 0 ? path.substring(0, record) : path.replaceFirst("/search$", "");
        }
        return Map.of("da", link(path, query, "da"), "en", link(path, query, "en"));
    }

    private static String link(String path, String query, String lang) {
        return UriComponentsBuilder.fromPath(path).query(query).replaceQueryParam("lang", lang).build().toUriString();
    }
}
