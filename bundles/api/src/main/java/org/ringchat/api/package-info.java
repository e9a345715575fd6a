/**
 * The ringchat API for embedders: the {@link org.ringchat.api.GroupChat} service and its value types.
 */
@Export
@Version("2.7.0")
package org.ringchat.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
