/**
 * The {@code iscsi:*} Karaf shell commands: one action per iscsiadm mode and operation
 * ({@code iscsi:node-login} is {@code iscsiadm -m node --login}), taking iscsiadm's options, run on
 * the management service in-process and printing through org.kiscsi.mgmt.text what bin/iscsiadm
 * prints. Private: Karaf finds the actions through the Karaf-Commands header.
 */
@Header(name = "Karaf-Commands", value = "*")
package org.kiscsi.shell.commands;

import org.osgi.annotation.bundle.Header;
