package org.kiscsi.api;

/**
 * The one exception type of kiscsi's API. Its message says what failed and where (portal, file and
 * line, record key, ...); {@link #error()} classifies it as iscsiadm's exit codes do.
 *
 * <p>Unchecked, because most of the API is asynchronous and failures travel in
 * {@link java.util.concurrent.CompletionStage}s.
 */
public class IscsiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final IscsiError error;

    public IscsiException(IscsiError error, String message) {
        super(message);
        this.error = error;
    }

    public IscsiException(IscsiError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public IscsiError error() {
        return error;
    }
}
