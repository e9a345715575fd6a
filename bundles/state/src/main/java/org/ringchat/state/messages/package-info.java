/**
 * The message log: chat messages and their delivery statuses appended to segment files, each record
 * checksummed, written in group commits; see {@code docs/STORAGE.md}. {@link org.ringchat.state.messages.MessageLog}
 * is the whole interface; {@link org.ringchat.state.messages.LegacyMessages} moves messages out of the
 * store of earlier releases. Plain Java, no OSGi.
 * <p>
 * 2.0.0: {@code MessageLog.find(MessageId)} gave way to {@code read(GroupId, long, MessageId)}: the log keeps no
 * table of message IDs (its caller's graph does), and a message appended twice is held twice.
 */
@Export
@Version("2.0.0")
package org.ringchat.state.messages;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
