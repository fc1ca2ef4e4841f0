package org.kiscsi.tools.lun;

/** Arguments a LUN tool or shell command cannot use (exit 1): the message says which and why. */
public class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
