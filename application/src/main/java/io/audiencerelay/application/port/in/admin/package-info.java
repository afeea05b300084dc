/**
 * What an operator does at the admin listener: see every destination's health, read, requeue and
 * discard dead letters, pause and resume a destination, list partner grants. One use case per
 * action; every action names who did it.
 */
package io.audiencerelay.application.port.in.admin;
