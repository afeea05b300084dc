/**
 * The {@code file} destination: newline-delimited JSON per audience, synced to disk, rotated by
 * size.
 */
package io.audiencerelay.adapters.partner.file;
