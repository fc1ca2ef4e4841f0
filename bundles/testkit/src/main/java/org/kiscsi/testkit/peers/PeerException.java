package org.kiscsi.testkit.peers;

/** A peer could not be started, driven or stopped; the message says which command or file. */
public class PeerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PeerException(String message) {
        super(message);
    }

    public PeerException(String message, Throwable cause) {
        super(message, cause);
    }
}
