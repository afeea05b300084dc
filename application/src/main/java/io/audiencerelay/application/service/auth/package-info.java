/**
 * Partner authentication: the OAuth flow the relay runs (login URL, callback, status, logout,
 * sealed states), partner grants and their refresh, and choosing which destination answers an
 * authentication route.
 */
package io.audiencerelay.application.service.auth;
