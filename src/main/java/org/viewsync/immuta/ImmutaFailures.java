package org.viewsync.immuta;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.stereotype.Component;

/** Turns an HTTP error from Immuta into an {@link ImmutaApiException} that quotes Immuta's answer. */
@Component("immutaFailures")
public class ImmutaFailures {

    public void raise(HttpOperationFailedException failure, String method) {
        throw answerOf(failure, method);
    }

    /** Immuta's answer to the call, with the call's method and path (not the host), as an exception to throw or quote. */
    static ImmutaApiException answerOf(HttpOperationFailedException failure, String method) {
        String uri = failure.getUri() == null ? "" : failure.getUri().replaceFirst("^https?://[^/]+", "");
        return new ImmutaApiException(failure.getStatusCode(), method, uri, failure.getResponseBody());
    }
}
