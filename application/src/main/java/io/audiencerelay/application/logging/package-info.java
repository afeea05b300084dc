/**
 * How the relay's background loops report failures that repeat (a full disk, a database that is
 * away): in full once, then briefly while they last, then once when they end, so that an outage is
 * visible in the log without flooding it.
 */
package io.audiencerelay.application.logging;
