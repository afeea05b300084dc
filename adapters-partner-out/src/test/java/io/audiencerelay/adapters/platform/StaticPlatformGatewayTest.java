package io.audiencerelay.adapters.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.contract.PlatformGatewayContract;
import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticPlatformGatewayTest extends PlatformGatewayContract {
  final StaticPlatformGateway gateway =
      new StaticPlatformGateway(Map.of(FEED, new FeedProperties(PROPERTIES)));

  @Override
  protected PlatformGateway gateway() {
    return gateway;
  }

  @Test
  void aFeedTheConfigurationDoesNotListHasNoProperties() {
    assertThat(gateway.feed(new FeedId("777")).properties()).isEqualTo(FeedProperties.none());
  }
}
