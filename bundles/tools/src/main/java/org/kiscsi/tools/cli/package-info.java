/** The standalone tools' command lines (bin/kiscsi-*): options, help, exit codes. Private to the tools. */
package org.kiscsi.tools.cli;
