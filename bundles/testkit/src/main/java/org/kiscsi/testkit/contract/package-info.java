/**
 * Contract test suites. A transport or node store implementation extends the matching abstract
 * class in its own tests and so proves it does what kiscsi relies on.
 */
@Export
@Version("1.1.0")
package org.kiscsi.testkit.contract;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
