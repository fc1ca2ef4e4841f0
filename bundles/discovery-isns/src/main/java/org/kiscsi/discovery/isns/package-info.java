/**
 * iSNS discovery: {@link org.kiscsi.discovery.isns.IsnsDiscovery}. Inside Karaf the bundle registers
 * it as the {@code isns} discovery method (one-shot and watched); plain Java applications create one.
 */
@Export
@Version("1.0.0")
package org.kiscsi.discovery.isns;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
