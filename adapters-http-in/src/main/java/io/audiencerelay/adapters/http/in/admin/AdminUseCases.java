package io.audiencerelay.adapters.http.in.admin;

import io.audiencerelay.application.port.in.admin.DiscardDeadLettersUseCase;
import io.audiencerelay.application.port.in.admin.ListDeadLettersUseCase;
import io.audiencerelay.application.port.in.admin.ListDestinationsUseCase;
import io.audiencerelay.application.port.in.admin.ListGrantsUseCase;
import io.audiencerelay.application.port.in.admin.PauseDestinationUseCase;
import io.audiencerelay.application.port.in.admin.RequeueDeadLettersUseCase;
import io.audiencerelay.application.port.in.admin.ResumeDestinationUseCase;

/** What the admin listener calls. */
public record AdminUseCases(
    ListDestinationsUseCase destinations,
    ListDeadLettersUseCase deadLetters,
    RequeueDeadLettersUseCase requeue,
    DiscardDeadLettersUseCase discard,
    PauseDestinationUseCase pause,
    ResumeDestinationUseCase resume,
    ListGrantsUseCase grants) {}
