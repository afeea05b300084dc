/**
 * Delivering queued changes: the scheduler and its workers, the per-call rate limit, batching with
 * one change per user, ordering per segment, retries and back-off, and the report of what the
 * partner made of each change.
 */
package io.audiencerelay.application.delivery;
