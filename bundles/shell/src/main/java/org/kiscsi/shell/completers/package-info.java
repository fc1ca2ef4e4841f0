/**
 * Completers of the {@code iscsi:*} commands: target names, portals, session ids, iface names and
 * transport names from the live management service; record keys from the record schema; values of
 * keys with a fixed set.
 */
package org.kiscsi.shell.completers;
