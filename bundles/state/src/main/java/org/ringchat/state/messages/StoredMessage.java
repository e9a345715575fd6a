package org.ringchat.state.messages;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;

/**
 * A message as the log holds it: the bytes the engine stored, and its latest delivery status.
 *
 * @param sequence its place in the group's log, from 0, in the order it was appended
 */
public record StoredMessage(GroupId group, long sequence, MessageId id, byte[] message, byte[] status) {
}
