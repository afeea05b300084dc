/** Destinations paused by an operator, kept in the relay's database. */
package io.audiencerelay.adapters.storage.pauses;
