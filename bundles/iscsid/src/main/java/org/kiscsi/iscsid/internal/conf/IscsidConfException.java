package org.kiscsi.iscsid.internal.conf;

import java.util.List;

/** iscsid.conf cannot be used: one line per error, each naming file and line. */
public final class IscsidConfException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    public IscsidConfException(List<String> errors) {
        super(String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
