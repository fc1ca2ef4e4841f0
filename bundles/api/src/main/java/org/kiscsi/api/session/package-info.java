/**
 * The session service front ends use: login, logout, session list, and the states sessions and connections go through.
 */
@Export
@Version("1.4.0")
package org.kiscsi.api.session;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
