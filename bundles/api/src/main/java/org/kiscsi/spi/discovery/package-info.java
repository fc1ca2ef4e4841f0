/**
 * Discovery SPI: a discovery method (SendTargets, iSNS, ...) that turns a discovery record into targets and portals,
 * once ({@link org.kiscsi.spi.discovery.DiscoveryProvider#discover}) or as a subscription
 * ({@link org.kiscsi.spi.discovery.DiscoveryProvider#watch}, for methods whose server notifies changes).
 */
@Export
@Version("1.1.0")
package org.kiscsi.spi.discovery;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
