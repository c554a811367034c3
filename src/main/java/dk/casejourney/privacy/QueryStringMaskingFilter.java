package dk.casejourney.privacy;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Searching by CPR number puts it in the query string, which Spring Security and Spring MVC write to the
 * log at debug level. Before anything else sees the request, its query string is shown with CPR numbers
 * masked; the parameters themselves keep their values, so handlers still get them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class QueryStringMaskingFilter extends OncePerRequestFilter {

    private static final Pattern CPR = Pattern.compile("\\d{6}-?\\d{4}");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getQueryString() == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String masked = mask(request.getQueryString());
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getQueryString() {
                return masked;
            }
        }, response);
    }

    static String mask(String queryString) {
        return Arrays.stream(queryString.split("&", -1))
                     .map(QueryStringMaskingFilter::maskPair)
                     .collect(Collectors.joining("&"));
    }

    private static String maskPair(String pair) {
        int equals = pair.indexOf('=');
        if (equals < 0) {
            return CPR.matcher(decode(pair)).find() ? "masked" : pair;
        }
        String name = pair.substring(0, equals);
        String value = decode(pair.substring(equals + 1));
        return name.equalsIgnoreCase("cpr") || CPR.matcher(value).find() ? name + "=masked" : pair;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
