package org.kiscsi.spi.store;

import org.osgi.annotation.versioning.ConsumerType;

import java.nio.file.Path;

/**
 * A kind of node store ({@code file}, {@code memory}, ...). Registered as an OSGi service with
 * {@value #NAME_PROPERTY} set to {@link #name()}. The daemon opens the store it is configured to use
 * at the root beside its config file, as open-iscsi keeps its database beside iscsid.conf.
 */
@ConsumerType
public interface NodeStoreProvider {
    String NAME_PROPERTY = "kiscsi.store";

    String name();

    /**
     * Opens (creating when absent) the store rooted at {@code root}.
     *
     * @throws NodeStoreException when it exists but cannot be opened; the message names the path
     */
    NodeStore open(Path root) throws NodeStoreException;
}
