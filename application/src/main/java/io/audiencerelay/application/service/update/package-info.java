/**
 * Accepting membership updates: one by one, the file form, batches, and the external sources (Mapp,
 * synced segments). Each update is checked against its partner and queued durably before it is
 * answered.
 */
package io.audiencerelay.application.service.update;
