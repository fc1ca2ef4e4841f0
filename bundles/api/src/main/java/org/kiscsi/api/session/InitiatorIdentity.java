package org.kiscsi.api.session;

import org.osgi.annotation.versioning.ConsumerType;

import java.util.Optional;

/**
 * Who this initiator is: the InitiatorName and InitiatorAlias logins send. The daemon provides it
 * from its initiatorname file; an application embedding kiscsi gives it directly. A node record's
 * {@code iface.initiatorname} overrides the name for that record.
 */
@ConsumerType
public interface InitiatorIdentity {
    /** The iSCSI name, or empty when none is configured (logins then fail, saying so). */
    Optional<String> initiatorName();

    /** The alias, or empty. */
    Optional<String> initiatorAlias();

    static InitiatorIdentity of(String name, String alias) {
        return new InitiatorIdentity() {
            @Override
            public Optional<String> initiatorName() {
                return Optional.ofNullable(name);
            }

            @Override
            public Optional<String> initiatorAlias() {
                return Optional.ofNullable(alias);
            }

            @Override
            public String toString() {
                return "InitiatorIdentity[" + name + (alias == null ? "" : ", alias " + alias) + "]";
            }
        };
    }
}
