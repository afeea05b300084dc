package io.audiencerelay.application.service.auth;

import io.audiencerelay.application.port.in.DynamicPropertyValuesQuery;
import io.audiencerelay.application.port.in.DynamicPropertyValuesResult;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.QueryDynamicPropertyValuesUseCase;
import io.audiencerelay.application.port.in.Unroutable;
import io.audiencerelay.application.port.out.AccountChoices;
import io.audiencerelay.application.port.out.PartnerAnswer;
import io.audiencerelay.application.port.out.PartnerCapability;
import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.PlatformUnavailableException;
import io.audiencerelay.application.port.out.UserRequest;
import io.audiencerelay.domain.DestinationCredentials;
import java.util.Optional;

/**
 * Asks the destination's partner for the values a user may choose, with the feed destination's
 * credentials and, for OAuth partners, the asking user's own login.
 */
public final class QueryDynamicPropertyValuesService implements QueryDynamicPropertyValuesUseCase {
  private final AuthenticationRouting routing;
  private final PlatformGateway gateway;
  private final PartnerGrants grants;

  public QueryDynamicPropertyValuesService(
      AuthenticationRouting routing, PlatformGateway gateway, PartnerGrants grants) {
    this.routing = routing;
    this.gateway = gateway;
    this.grants = grants;
  }

  @Override
  public DynamicPropertyValuesResult query(DynamicPropertyValuesQuery query) {
    var hints =
        new AuthenticationRouting.Hints(
            query.properties(), java.util.Optional.empty(), query.feedDestinationId(), null);
    return switch (routing.choose(PartnerCapability.DYNAMIC_PROPERTY_VALUES, hints)) {
      case AuthenticationRouting.Choice.NotOffered none -> new NotImplemented(null);
      case AuthenticationRouting.Choice.Unresolved unresolved ->
          new Unroutable(unresolved.message());
      case AuthenticationRouting.Choice.Chosen resolved -> {
        Optional<DestinationCredentials> credentials = Optional.empty();
        if (query.feedDestinationId() != null) {
          try {
            credentials = gateway.credentials(query.feedDestinationId());
          } catch (PlatformUnavailableException e) {
            yield new Failed("Could not fetch feed destination credentials: " + e.getMessage());
          }
        }
        // The choices are the asking user's: their own login answers.
        yield switch (grants.authoriseAs(resolved.route(), query.user().value())) {
          case PartnerGrants.Authorisation.Ready ready ->
              result(
                  ready
                      .route()
                      .connector()
                      .dynamicPropertyValues(
                          ready.route().destination(), request(query), credentials));
          case PartnerGrants.Authorisation.NeedsLogin needsLogin ->
              new DynamicPropertyValuesResult.Empty(
                  "Log in to the partner first to see the choices of your account");
          case PartnerGrants.Authorisation.RetryLater later ->
              new Failed("The partner login could not be renewed now (" + later.reason() + ")");
        };
      }
    };
  }

  private static UserRequest request(DynamicPropertyValuesQuery query) {
    return new UserRequest(
        query.user(),
        query.datamartId(),
        query.segmentId(),
        null,
        query.feedDestinationId(),
        query.properties(),
        null);
  }

  private static DynamicPropertyValuesResult result(PartnerAnswer<AccountChoices> answer) {
    return switch (answer) {
      case PartnerAnswer.Given<AccountChoices> given ->
          switch (given.value()) {
            case AccountChoices.Offered offered ->
                new DynamicPropertyValuesResult.Values(
                    offered.properties().stream()
                        .map(
                            property ->
                                new DynamicPropertyValuesResult.PropertyChoices(
                                    property.technicalName(),
                                    property.choices().stream()
                                        .map(
                                            choice ->
                                                new DynamicPropertyValuesResult.Choice(
                                                    choice.label(), choice.value()))
                                        .toList()))
                        .toList());
            case AccountChoices.NoneFor none ->
                new DynamicPropertyValuesResult.Empty(none.message());
          };
      case PartnerAnswer.Unavailable<AccountChoices> unavailable ->
          new Failed(unavailable.reason());
      case PartnerAnswer.NotOffered<AccountChoices> none -> new NotImplemented(null);
    };
  }
}
