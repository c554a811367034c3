package dk.casejourney.operations;

import dk.casejourney.common.Identifiers;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * One id per request, in the log's MDC ({@value #KEY}) and in the metadata of every command and query the
 * request sends and every event those commands record, so an operator follows a request from its log lines to
 * its events and the processors' log lines. A caller's {@value #HEADER} is kept when it is a plain token (an
 * id from a proxy), never anything that could carry personal data; otherwise a new one is made.
 */
final class TraceIds {

    static final String KEY = "traceId";
    static final String HEADER = "X-Request-Id";
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]{8,64}");
    private static final Pattern CPR_LIKE = Pattern.compile(".*\\d{6}-?\\d{4}.*");

    private TraceIds() {
    }

    static String accept(String offered) {
        if (offered != null && PLAIN.matcher(offered).matches() && !CPR_LIKE.matcher(offered).matches()) {
            return offered;
        }
        return Identifiers.random();
    }

    /** Sets the request's id in the MDC and in the answer's {@value #HEADER}. */
    static final class Filter extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String traceId = accept(request.getHeader(HEADER));
            response.setHeader(HEADER, traceId);
            String before = MDC.get(KEY);
            MDC.put(KEY, traceId);
            try {
                chain.doFilter(request, response);
            } finally {
                restore(before);
            }
        }
    }

    /** Commands and queries sent while a trace id is in the MDC carry it in their metadata. */
    static final class Dispatch<M extends Message<?>> implements MessageDispatchInterceptor<M> {
        @Override
        @SuppressWarnings("unchecked")
        public BiFunction<Integer, M, M> handle(List<? extends M> messages) {
            return (index, message) -> {
                String traceId = MDC.get(KEY);
                if (traceId == null || message.getMetaData().containsKey(KEY)) {
                    return message;
                }
                return (M) message.andMetaData(java.util.Map.of(KEY, traceId));
            };
        }
    }

    /** While a message is handled (command, query, or event in a processor), its trace id is in the MDC. */
    static final class Handling<M extends Message<?>> implements MessageHandlerInterceptor<M> {
        @Override
        public Object handle(UnitOfWork<? extends M> unitOfWork, InterceptorChain chain) throws Exception {
            Object traceId = unitOfWork.getMessage().getMetaData().get(KEY);
            if (traceId == null) {
                return chain.proceed();
            }
            String before = MDC.get(KEY);
            MDC.put(KEY, traceId.toString());
            try {
                return chain.proceed();
            } finally {
                restore(before);
            }
        }
    }

    private static void restore(String before) {
        if (before == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, before);
        }
    }
}
