/**
 * A small iSCSI target inside the test JVM, for what no real peer here produces: redirection,
 * rejected keys, refused logins, CHAP with every digest and the ways targets get it wrong (tgt's
 * numbering, a refused CHAP_A list, reflected challenges, a missing or wrong mutual answer), unit
 * attentions on demand, answers out of order, malformed PDUs, commands never answered. It is never
 * a replacement for tgtd where tgtd can show the behaviour.
 */
@Export
@Version("1.2.0")
package org.kiscsi.testkit.target;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
