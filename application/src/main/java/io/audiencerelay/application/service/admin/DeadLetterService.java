package io.audiencerelay.application.service.admin;

import io.audiencerelay.application.port.in.admin.AdminActionResult;
import io.audiencerelay.application.port.in.admin.DiscardDeadLettersUseCase;
import io.audiencerelay.application.port.in.admin.ListDeadLettersUseCase;
import io.audiencerelay.application.port.in.admin.RequeueDeadLettersUseCase;
import io.audiencerelay.application.port.out.DeadLetterStore;
import io.audiencerelay.application.port.out.DeadLetterStore.DeadLetterQuery;
import io.audiencerelay.application.port.out.DeliveryBacklog.DeadLetter;
import io.audiencerelay.application.port.out.DeliveryQueue;
import io.audiencerelay.application.port.out.DeliveryQueue.EnqueueOutcome;
import io.audiencerelay.application.service.routing.DestinationDirectory;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.MembershipChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Dead letters for an operator: read them, put them back in the queue, or discard them. Bulk
 * actions go a page at a time, so a million dead letters never sit in memory, and are logged with
 * who asked.
 */
public final class DeadLetterService
    implements ListDeadLettersUseCase, RequeueDeadLettersUseCase, DiscardDeadLettersUseCase {
  private static final Logger LOG = Logger.getLogger(DeadLetterService.class.getName());

  /** Dead letters per page of a bulk action, and per queue write. */
  static final int PAGE = 500;

  private final DeadLetterStore store;
  private final DeliveryQueue queue;
  private final DestinationDirectory directory;

  public DeadLetterService(
      DeadLetterStore store, DeliveryQueue queue, DestinationDirectory directory) {
    this.store = store;
    this.queue = queue;
    this.directory = directory;
  }

  @Override
  public DeadLetterPage deadLetters(DeadLetterQuery query, int limit) {
    return new DeadLetterPage(store.count(query), store.newest(query, limit));
  }

  @Override
  public AdminActionResult requeue(DeadLetterQuery query, String actor) {
    var unknown = unknownDestination(query);
    if (unknown != null) {
      return unknown;
    }
    long requeued = 0;
    long skipped = 0;
    long after = 0;
    String stoppedBy = null;
    List<DeadLetter> page;
    while (stoppedBy == null && !(page = store.after(query, after, PAGE)).isEmpty()) {
      after = page.getLast().id();
      Map<DestinationName, List<DeadLetter>> byDestination = new LinkedHashMap<>();
      for (DeadLetter letter : page) {
        if (letter.change().isEmpty() || directory.byName(letter.destination()).isEmpty()) {
          skipped++; // unreadable, or its destination is no longer configured: left as it is
        } else {
          byDestination.computeIfAbsent(letter.destination(), d -> new ArrayList<>()).add(letter);
        }
      }
      for (var entry : byDestination.entrySet()) {
        List<MembershipChange> changes =
            entry.getValue().stream().map(letter -> letter.change().orElseThrow()).toList();
        EnqueueOutcome outcome = queue.enqueue(entry.getKey(), changes);
        if (outcome instanceof EnqueueOutcome.Accepted) {
          // Queued first, removed after: a crash between the two repeats a change, never loses it.
          store.remove(entry.getValue().stream().map(DeadLetter::id).toList());
          requeued += changes.size();
        } else {
          stoppedBy =
              "the queue of '"
                  + entry.getKey()
                  + "' took no more ("
                  + (outcome instanceof EnqueueOutcome.Retry retry
                      ? retry.reason()
                      : ((EnqueueOutcome.Rejected) outcome).reason())
                  + ")";
          break;
        }
      }
    }
    long done = requeued;
    long left = store.count(query);
    String stopped = stoppedBy;
    LOG.info(
        () ->
            "admin "
                + actor
                + " requeued "
                + done
                + " dead letter(s) matching "
                + describe(query)
                + (stopped == null ? "" : "; stopped: " + stopped));
    if (stoppedBy != null) {
      return new AdminActionResult.Partly(
          requeued, left, requeued + " requeued, then " + stoppedBy + ": try again later");
    }
    return new AdminActionResult.Done(
        requeued,
        requeued
            + " dead letter(s) requeued"
            + (skipped == 0
                ? ""
                : "; " + skipped + " left as they are (unreadable, or their destination is gone)"));
  }

  @Override
  public AdminActionResult discard(DeadLetterQuery query, String actor) {
    var unknown = unknownDestination(query);
    if (unknown != null) {
      return unknown;
    }
    long discarded = 0;
    List<DeadLetter> page;
    while (!(page = store.after(query, 0, PAGE)).isEmpty()) {
      int removed = store.remove(page.stream().map(DeadLetter::id).toList());
      discarded += removed;
      if (removed == 0) {
        break; // another relay removed them meanwhile
      }
    }
    long done = discarded;
    LOG.info(
        () ->
            "admin "
                + actor
                + " discarded "
                + done
                + " dead letter(s) matching "
                + describe(query));
    return new AdminActionResult.Done(discarded, discarded + " dead letter(s) discarded");
  }

  private AdminActionResult unknownDestination(DeadLetterQuery query) {
    return query
        .destination()
        .filter(name -> directory.byName(name).isEmpty())
        .<AdminActionResult>map(
            name -> new AdminActionResult.UnknownDestination(directory.notConfigured(name)))
        .orElse(null);
  }

  private static String describe(DeadLetterQuery query) {
    List<String> parts = new ArrayList<>();
    query.destination().ifPresent(d -> parts.add("destination=" + d));
    query.segmentId().ifPresent(s -> parts.add("segment=" + s));
    query.reasonContains().ifPresent(r -> parts.add("reason~'" + r + "'"));
    return parts.isEmpty() ? "(all)" : String.join(" ", parts);
  }
}
