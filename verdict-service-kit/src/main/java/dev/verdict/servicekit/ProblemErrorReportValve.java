package dev.verdict.servicekit;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.http.HttpStatus;

/**
 * Errors that Tomcat answers itself, before any of the application runs (a URI with an encoded NUL or an encoded
 * "../", an unparseable request line), as application/problem+json like every other error, instead of Tomcat's
 * HTML page. Nothing about the server is disclosed.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    /** Installs this valve as the host's error report valve. */
    static TomcatContextCustomizer installer() {
        return context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        };
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        if (known == null) {
            super.report(request, response, throwable);
            return;
        }
        String code = status == 400 ? "malformed-request" : "http-" + status;
        String detail = status == 400
                ? "the request could not be parsed (for example, its path holds an encoded NUL or '../')"
                : known.getReasonPhrase();
        try {
            Problems.write(response, known, code, detail);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client is gone; nothing more to say
        }
    }
}
