package dk.casejourney.common;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.HttpMediaTypeNotAcceptableException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * How the web layer meets input before any controller: the parameter rules ({@link RequestInputGuard}),
 * problem+json understood as JSON when a client asks for it, CPR-shaped numbers masked in the headers that are
 * only logged, and the servlet container's own refusals written as problem+json too.
 */
@Configuration(proxyBeanMethods = false)
class WebInputConfiguration implements WebMvcConfigurer {

    /** Headers the ledger only records or logs, never acts on: a CPR number in them is masked, not refused. */
    static final List<String> LOGGED_HEADERS = List.of("X-Purpose", "User-Agent", "Referer");

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new RequestInputGuard()).addPathPatterns("/api/**");
    }

    /**
     * A client that accepts application/problem+json accepts JSON: an endpoint producing application/json
     * answers it (a refusal as problem+json) rather than 406.
     */
    @Override
    public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
        configurer.strategies(List.of(new HeaderContentNegotiationStrategy() {
            @Override
            public List<MediaType> resolveMediaTypes(NativeWebRequest request) throws HttpMediaTypeNotAcceptableException {
                List<MediaType> accepted = super.resolveMediaTypes(request);
                boolean problem = accepted.stream().anyMatch(type -> type.getType().equals("application")
                        && type.getSubtype().equals("problem+json"));
                if (!problem || accepted.stream().anyMatch(type -> type.isCompatibleWith(MediaType.APPLICATION_JSON)
                        && !type.equals(MediaType.APPLICATION_PROBLEM_JSON))) {
                    return accepted;
                }
                List<MediaType> widened = new ArrayList<>(accepted);
                widened.add(MediaType.APPLICATION_JSON);
                return widened;
            }
        }));
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> loggedHeaderMasking() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                chain.doFilter(new MaskedHeaders(request), response);
            }
        });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    /** The container's own refusals (a request it cannot parse) as problem+json instead of an HTML page. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    private static final class MaskedHeaders extends HttpServletRequestWrapper {

        MaskedHeaders(HttpServletRequest request) {
            super(request);
        }

        private static boolean logged(String name) {
            return LOGGED_HEADERS.stream().anyMatch(header -> header.equalsIgnoreCase(name));
        }

        @Override
        public String getHeader(String name) {
            String value = super.getHeader(name);
            return logged(name) ? TextRules.maskCprShaped(value) : value;
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            if (!logged(name)) {
                return super.getHeaders(name);
            }
            List<String> values = new ArrayList<>();
            super.getHeaders(name).asIterator().forEachRemaining(value -> values.add(TextRules.maskCprShaped(value)));
            return Collections.enumeration(values);
        }
    }
}
