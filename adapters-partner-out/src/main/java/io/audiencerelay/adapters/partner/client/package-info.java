/**
 * What the HTTP partners share: one outbound client that never throws for a partner failure and
 * classifies answers (ok, retry after, refused), retry delays from the partner's headers, and the
 * settings of an OAuth app.
 */
package io.audiencerelay.adapters.partner.client;
