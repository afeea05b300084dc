/**
 * The {@code meta} destination: Meta Custom Audiences through the Marketing API, and Facebook
 * Login.
 */
package io.audiencerelay.adapters.partner.meta;
