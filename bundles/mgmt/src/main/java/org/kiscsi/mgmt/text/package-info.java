/**
 * The text open-iscsi 2.1.8's iscsiadm prints, made in one place from the typed results of
 * {@link org.kiscsi.api.manage.IscsiManagement}: bin/iscsiadm and the Karaf shell print these
 * bytes, so both show the same for the same state. Plain Java. Each class names the open-iscsi
 * function whose layout it follows; what kiscsi cannot show (kernel devices) is said in words.
 */
@Export
@Version("1.2.0")
package org.kiscsi.mgmt.text;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
