/**
 * Authenticator SPI: one AuthMethod (CHAP, ...) driving the security negotiation of a login one step at a time.
 *
 * <h2>The contract between the engine and an authenticator</h2>
 * <ol>
 * <li><b>Before connecting</b>, when the record names an AuthMethod other than {@code None}, the
 * engine looks up the {@link org.kiscsi.spi.auth.AuthenticatorFactory} registered for it (none:
 * the login fails at once, without a connection) and asks it
 * {@link org.kiscsi.spi.auth.AuthenticatorFactory#authMethodsOffered what AuthMethod list to offer}.
 * The factory may refuse the request there (unusable credentials or settings).</li>
 * <li>When the target chooses that AuthMethod, the engine takes a fresh
 * {@link org.kiscsi.spi.auth.Authenticator} from {@link org.kiscsi.spi.auth.AuthenticatorFactory#create}
 * and calls {@link org.kiscsi.spi.auth.Authenticator#step} with the keys of <em>every</em> Login
 * Response of the security stage from then on, the one carrying the AuthMethod choice first, until
 * the login leaves the security stage. Keys the login itself handles (AuthMethod,
 * TargetPortalGroupTag, TargetAlias, TargetAddress) are not passed.</li>
 * <li>A step that returns {@link org.kiscsi.spi.auth.AuthStep#finished() finished} means: nothing is
 * left to send after these keys, and the target may now end the security stage. The Login Request
 * carrying that step's keys asks to transit (T=1, NSG=operational).</li>
 * <li>The <b>transit response</b> (T=1) is passed to {@code step} as well: it may carry the target's
 * own proof (mutual CHAP's CHAP_N/CHAP_R), which the authenticator verifies there. On that call the
 * authenticator must either throw or return finished with no keys; a target that transits before the
 * authenticator is finished fails the login with LOGIN_AUTH_FAILED.</li>
 * <li>When the login fails after the authenticator was created — a step threw, or the target
 * refused the login — the engine asks {@link org.kiscsi.spi.auth.Authenticator#afterFailure}. Its
 * {@link org.kiscsi.spi.auth.AuthAdvice} may explain the failure (the engine adds the explanation to
 * the error) and may ask for one more login with other CHAP algorithms; the engine makes at most one
 * such login per login (never {@code initial_login_retry_max} of them).</li>
 * </ol>
 * Secrets reach an authenticator only through {@link org.kiscsi.spi.auth.AuthCredentials}; messages,
 * logs and exceptions never carry them.
 */
@Export
@Version("1.1.0")
package org.kiscsi.spi.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
