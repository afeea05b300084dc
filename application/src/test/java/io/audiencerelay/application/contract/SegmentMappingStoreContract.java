package io.audiencerelay.application.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.port.out.SegmentMappingStore;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.PartnerAudience;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link SegmentMappingStore} must do. Extend it once per implementation. */
public abstract class SegmentMappingStoreContract {
  private static final DestinationName DEMO = new DestinationName("demo");
  private static final DestinationName OTHER = new DestinationName("other");
  private static final ExternalSegment SEGMENT = ExternalSegment.of("6921", "84213", "1509");

  protected SegmentMappingStore store;

  protected abstract SegmentMappingStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @Test
  void findsNothingBeforeASave() {
    assertThat(store.find(DEMO, SEGMENT)).isEmpty();
  }

  @Test
  void findsWhatWasSavedForTheSameDestinationAndSegment() {
    store.save(DEMO, SEGMENT, new PartnerAudience("a-1", "mics_84213"));

    assertThat(store.find(DEMO, SEGMENT)).contains(new PartnerAudience("a-1", "mics_84213"));
    assertThat(store.find(OTHER, SEGMENT)).isEmpty();
    assertThat(store.find(DEMO, ExternalSegment.of("6921", "99", "1509"))).isEmpty();
  }

  @Test
  void aLaterSaveReplacesTheEarlierOne() {
    store.save(DEMO, SEGMENT, new PartnerAudience("a-1", "mics_84213"));
    store.save(DEMO, SEGMENT, new PartnerAudience("a-2", "mics_84213"));

    assertThat(store.find(DEMO, SEGMENT)).contains(new PartnerAudience("a-2", "mics_84213"));
  }
}
