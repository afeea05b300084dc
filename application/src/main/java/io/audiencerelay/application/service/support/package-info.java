/**
 * Support and health: the troubleshoot view of a segment, and whether the relay can still store and
 * deliver.
 */
package io.audiencerelay.application.service.support;
