/**
 * ringchat's commands as plain Java, for every shell that offers them: ringchat's own and Gogo's
 * ({@code org.ringchat.shell.internal}), and Karaf's console ({@code org.ringchat.shell.karaf}, which
 * copies this package in). Not exported: it is no API.
 */
package org.ringchat.shell.commands;
