package dk.casejourney.audit;

import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.queryhandling.QueryMessage;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Stamps each query sent during an HTTP request with who sends it and the purpose the person stated
 * (header {@value #PURPOSE_HEADER}). Queries sent outside a request carry neither and are logged as
 * {@value #SYSTEM}.
 */
class AccessContext implements MessageDispatchInterceptor<QueryMessage<?, ?>> {

    static final String PURPOSE_HEADER = "X-Purpose";
    static final String ACCESSED_BY = "accessedBy";
    static final String PURPOSE = "accessPurpose";
    static final String SYSTEM = "system";
    private static final int MAX_PURPOSE = 500;

    @Override
    public BiFunction<Integer, QueryMessage<?, ?>, QueryMessage<?, ?>> handle(
            List<? extends QueryMessage<?, ?>> messages) {
        return (index, message) -> {
            if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
                return message;
            }
            HttpServletRequest request = attributes.getRequest();
            Principal principal = request.getUserPrincipal();
            Map<String, Object> context = new HashMap<>();
            context.put(ACCESSED_BY, principal == null ? "anonymous" : principal.getName());
            String purpose = request.getHeader(PURPOSE_HEADER);
            if (purpose != null && !purpose.isBlank()) {
                context.put(PURPOSE, purpose.length() > MAX_PURPOSE ? purpose.substring(0, MAX_PURPOSE) : purpose);
            }
            return message.andMetaData(MetaData.from(context));
        };
    }
}
