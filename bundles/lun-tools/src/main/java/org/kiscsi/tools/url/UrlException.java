package org.kiscsi.tools.url;

/** A URL or a secret source that cannot be used; the message says what and where (never a secret). */
public final class UrlException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UrlException(String message) {
        super(message);
    }
}
