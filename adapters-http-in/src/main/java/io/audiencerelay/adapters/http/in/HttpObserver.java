package io.audiencerelay.adapters.http.in;

/** What the inbound server reports about each request, and the metrics page it serves. */
public interface HttpObserver {

  /**
   * One answered request.
   *
   * @param route the matched protocol path, or {@code other} for anything else (keeps the label set
   *     small)
   */
  void request(String method, String route, int status, long nanos);

  /** The Prometheus text exposition served at {@code GET /metrics}. */
  String scrape();

  /** Observes nothing; {@code /metrics} is empty. */
  HttpObserver NONE =
      new HttpObserver() {
        @Override
        public void request(String method, String route, int status, long nanos) {}

        @Override
        public String scrape() {
          return "";
        }
      };
}
