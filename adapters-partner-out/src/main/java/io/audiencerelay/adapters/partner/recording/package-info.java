/** The {@code recording} destination: everything kept in memory, for tests and dry runs. */
package io.audiencerelay.adapters.partner.recording;
