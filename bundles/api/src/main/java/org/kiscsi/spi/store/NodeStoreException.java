package org.kiscsi.spi.store;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/** A node store could not do what was asked; the message names the record or file. */
public class NodeStoreException extends IscsiException {
    private static final long serialVersionUID = 1L;

    public NodeStoreException(String message) {
        super(IscsiError.IDBM, message);
    }

    public NodeStoreException(String message, Throwable cause) {
        super(IscsiError.IDBM, message, cause);
    }
}
