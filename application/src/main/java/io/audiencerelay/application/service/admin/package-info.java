/**
 * The operator's services behind the admin listener: destination health from what the workers
 * report ({@link io.audiencerelay.application.service.admin.DeliveryActivity}), dead letters,
 * pauses and grants.
 */
package io.audiencerelay.application.service.admin;
