/**
 * The initiator's login state machine: security, operational and full feature stages, redirection and the meaning of every status class.
 */
@Export
@Version("1.1.0")
package org.kiscsi.protocol.login;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
