/**
 * Service provider interfaces between ringchat's bundles: identity, transport, topology and storage.
 * Embedders normally need only {@code org.ringchat.api}.
 */
@Export
@Version("2.3.0")
package org.ringchat.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
