package org.ringchat.state.messages;

import java.nio.file.Path;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;

/**
 * A record of the log that cannot be read as written: its message is to be fetched again from the
 * group's members and {@linkplain MessageLog#append appended} again, which settles the damage.
 *
 * @param group    the group, or null when the damage hides it
 * @param sequence the message's sequence in the group, or -1 when the damage hides it
 * @param id       the message, or null when the damage hides it (the engine then finds it missing as
 *                 a parent of the messages after it)
 * @param file     the segment file, or null when no record of the message is left (its sequence is
 *                 missing between others)
 * @param offset   where the damaged bytes start in that file
 * @param length   how many bytes are damaged
 */
public record Damage(GroupId group, long sequence, MessageId id, Path file, long offset, long length) {

    @Override
    public String toString() {
        String which = id != null ? "message " + id + " of group " + group + " (sequence " + sequence + ")"
                : group != null ? "the message at sequence " + sequence + " of group " + group
                : "unknown records";
        return file == null ? which + ": no record of it is left" : which + ": " + length + " bytes at offset " + offset + " of " + file;
    }
}
