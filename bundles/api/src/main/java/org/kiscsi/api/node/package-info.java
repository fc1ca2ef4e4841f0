/**
 * Records of the node database, keyed by open-iscsi's dotted keys (node.session.auth.username, ...).
 */
@Export
@Version("1.6.0")
package org.kiscsi.api.node;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
