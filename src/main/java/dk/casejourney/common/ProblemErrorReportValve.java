package dk.casejourney.common;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import java.io.IOException;
import java.io.Writer;

/**
 * Tomcat's report for requests refused before the application sees them (e.g. an encoded NUL in the path):
 * problem+json with the status and nothing of the request echoed, instead of Tomcat's HTML page. Public
 * because Tomcat instantiates it by class name.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            String title = status >= 500 ? "Internal error" : "The request is invalid";
            String reason = status >= 500 ? "the request could not be completed"
                    : "the request could not be read (malformed path, query or header)";
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"https://casejourney.dk/problems/" + (status >= 500 ? "internal-error"
                        : "malformed-request") + "\",\"title\":\"" + title + "\",\"status\":" + status
                        + ",\"detail\":\"request: " + reason + "\",\"errors\":[{\"field\":\"request\",\"reason\":\""
                        + reason + "\"}]}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response was committed meanwhile: nothing more to tell it.
        }
    }
}
