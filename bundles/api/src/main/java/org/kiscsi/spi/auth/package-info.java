/**
 * Authenticator SPI: one AuthMethod (CHAP, ...) driving the security negotiation of a login one step at a time.
 */
@Export
@Version("1.1.0")
package org.kiscsi.spi.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
