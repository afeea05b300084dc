/**
 * The durable delivery queue: accepted changes written in groups (on SQLite through an fsynced
 * accept journal first), the in-memory fast lane for destinations that keep up, claims with leases,
 * retries and dead letters, and the compact codecs of stored changes.
 */
package io.audiencerelay.adapters.storage.queue;
