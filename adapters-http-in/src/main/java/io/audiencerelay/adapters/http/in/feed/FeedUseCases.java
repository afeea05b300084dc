package io.audiencerelay.adapters.http.in.feed;

import io.audiencerelay.application.port.in.AuthenticateUseCase;
import io.audiencerelay.application.port.in.BatchUpdateUseCase;
import io.audiencerelay.application.port.in.CheckHealthUseCase;
import io.audiencerelay.application.port.in.ConnectExternalSegmentUseCase;
import io.audiencerelay.application.port.in.CreateExternalSegmentUseCase;
import io.audiencerelay.application.port.in.CreateOAuthRedirectUrlUseCase;
import io.audiencerelay.application.port.in.LogoutUseCase;
import io.audiencerelay.application.port.in.QueryAuthenticationStatusUseCase;
import io.audiencerelay.application.port.in.QueryDynamicPropertyValuesUseCase;
import io.audiencerelay.application.port.in.TestAuthenticationUseCase;
import io.audiencerelay.application.port.in.TroubleshootUseCase;
import io.audiencerelay.application.port.in.UpdateUserSegmentUseCase;
import io.audiencerelay.application.port.in.UpdateUserSegmentsUseCase;
import java.util.Objects;

/** The use cases behind the feed routes, one per route. */
public record FeedUseCases(
    CreateExternalSegmentUseCase createExternalSegment,
    ConnectExternalSegmentUseCase connectExternalSegment,
    UpdateUserSegmentUseCase updateUserSegment,
    UpdateUserSegmentsUseCase updateUserSegments,
    BatchUpdateUseCase batchUpdate,
    TroubleshootUseCase troubleshoot,
    QueryAuthenticationStatusUseCase queryAuthenticationStatus,
    AuthenticateUseCase authenticate,
    LogoutUseCase logout,
    QueryDynamicPropertyValuesUseCase queryDynamicPropertyValues,
    TestAuthenticationUseCase testAuthentication,
    CreateOAuthRedirectUrlUseCase createOAuthRedirectUrl,
    CheckHealthUseCase checkHealth) {
  public FeedUseCases {
    Objects.requireNonNull(createExternalSegment, "createExternalSegment");
    Objects.requireNonNull(connectExternalSegment, "connectExternalSegment");
    Objects.requireNonNull(updateUserSegment, "updateUserSegment");
    Objects.requireNonNull(updateUserSegments, "updateUserSegments");
    Objects.requireNonNull(batchUpdate, "batchUpdate");
    Objects.requireNonNull(troubleshoot, "troubleshoot");
    Objects.requireNonNull(queryAuthenticationStatus, "queryAuthenticationStatus");
    Objects.requireNonNull(authenticate, "authenticate");
    Objects.requireNonNull(logout, "logout");
    Objects.requireNonNull(queryDynamicPropertyValues, "queryDynamicPropertyValues");
    Objects.requireNonNull(testAuthentication, "testAuthentication");
    Objects.requireNonNull(createOAuthRedirectUrl, "createOAuthRedirectUrl");
    Objects.requireNonNull(checkHealth, "checkHealth");
  }
}
