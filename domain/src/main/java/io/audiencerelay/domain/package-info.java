/**
 * The pure domain: feeds, segments, user identifiers, membership changes and batches, destinations,
 * partner audiences, credentials and auth state, and the sealed outcomes partners answer with.
 * Records validate themselves; nothing here knows a framework or the clock.
 */
package io.audiencerelay.domain;
