/**
 * CHAP (RFC 7143 section 12.1.3, RFC 1994) for kiscsi logins: {@link org.kiscsi.auth.chap.ChapAuthenticatorFactory}.
 * Inside Karaf the bundle registers it as the {@code CHAP} authenticator; plain Java applications hand
 * it to the engine's builder.
 */
@Export
@Version("1.0.0")
package org.kiscsi.auth.chap;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
