package io.audiencerelay.application.port.in;

/** Lists the values a user may choose for account-dependent feed properties. */
public interface QueryDynamicPropertyValuesUseCase {
  DynamicPropertyValuesResult query(DynamicPropertyValuesQuery command);
}
