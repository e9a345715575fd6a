/**
 * A group's state as a log of signed, hash-linked operations: {@link org.ringchat.state.log.StateOp}
 * (one signed change and its codec), {@link org.ringchat.state.log.StateLog} (the operation graph of one
 * group, with validation, held operations and sync) and {@link org.ringchat.state.log.GroupState} (what
 * the operations add up to). Plain Java; the rules are documented in {@code docs/STATE.md}.
 */
@Export
@Version("1.1.0")
package org.ringchat.state.log;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
