/**
 * Node store SPI: where node, discovery and iface records live.
 */
@Export
@Version("1.0.0")
package org.kiscsi.spi.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
