/** The composition root: {@code Main} reads the configuration, wires the relay and starts it. */
package io.audiencerelay.bootstrap;
