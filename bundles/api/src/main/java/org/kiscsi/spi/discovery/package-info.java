/**
 * Discovery SPI: a discovery method (SendTargets, iSNS, ...) that turns a discovery record into targets and portals.
 */
@Export
@Version("1.0.0")
package org.kiscsi.spi.discovery;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
