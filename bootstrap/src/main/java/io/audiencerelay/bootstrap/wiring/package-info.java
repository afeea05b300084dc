/** Dagger wiring: which adapter implements which port, built once at start. */
package io.audiencerelay.bootstrap.wiring;
