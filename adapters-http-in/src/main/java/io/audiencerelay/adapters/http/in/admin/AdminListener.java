package io.audiencerelay.adapters.http.in.admin;

/** The admin listener to open beside the protocol port: where, for whom, and what it calls. */
public record AdminListener(AdminSettings settings, AdminUseCases useCases) {}
