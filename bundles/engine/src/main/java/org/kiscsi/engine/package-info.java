/**
 * The session engine as a plain Java library: {@link org.kiscsi.engine.IscsiEngine} wired by hand
 * with a transport (and authenticators), the way applications embed libiscsi. Inside Karaf the same
 * engine is a DS component registering {@link org.kiscsi.api.session.SessionManager}.
 */
@Export
@Version("1.2.0")
package org.kiscsi.engine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
