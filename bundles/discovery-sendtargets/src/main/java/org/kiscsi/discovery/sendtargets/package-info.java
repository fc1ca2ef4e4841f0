/**
 * SendTargets discovery: {@link org.kiscsi.discovery.sendtargets.SendTargetsDiscovery}. Inside Karaf
 * the bundle registers it as the {@code sendtargets} discovery method; plain Java applications create
 * one and call it with their engine.
 */
@Export
@Version("1.1.0")
package org.kiscsi.discovery.sendtargets;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
