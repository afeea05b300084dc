/**
 * The {@code linkedin} destination: LinkedIn DMP segments through the Marketing API, LinkedIn's
 * OAuth, and its per-member call limit.
 */
package io.audiencerelay.adapters.partner.linkedin;
