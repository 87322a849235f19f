package io.ringkv.cluster.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.api.InvalidRequestException;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.time.Scheduler;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Quorum counting on its own: met, impossible, timed out, rejected. */
class QuorumWaiterTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Scheduler time = Scheduler.realTime(timer);
    private final Deadline longDeadline = Deadline.afterMillis(time, 60_000);

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    /** The outcome once decided; a rejection is thrown. */
    private QuorumWaiter.Tally await(QuorumWaiter waiter, Deadline deadline) {
        return KvService.await(waiter.outcome(deadline, time));
    }

    @Test
    void met_as_soon_as_required_successes_arrive_with_the_count_at_that_moment() {
        QuorumWaiter waiter = QuorumWaiter.count(2, 3);
        waiter.failed("any");
        waiter.succeeded("any");
        waiter.succeeded("any");
        waiter.succeeded("any"); // late: does not change the outcome
        assertThat(await(waiter, longDeadline)).isEqualTo(new QuorumWaiter.Tally(true, 2, 0));
    }

    @Test
    void decided_as_not_met_once_every_answer_is_in_without_waiting_for_the_deadline() {
        QuorumWaiter waiter = QuorumWaiter.count(2, 3);
        waiter.succeeded("any");
        waiter.failed("any");
        waiter.failed("any");
        assertThat(await(waiter, longDeadline)).isEqualTo(new QuorumWaiter.Tally(false, 1, 0));
    }

    @Test
    void out_of_reach_still_waits_for_the_outstanding_answers_so_the_count_is_complete() {
        QuorumWaiter waiter = QuorumWaiter.count(3, 3);
        waiter.failed("any"); // W=3 is out of reach now
        waiter.succeeded("any");
        assertThat(await(waiter, Deadline.afterMillis(time, 0))).isEqualTo(new QuorumWaiter.Tally(false, 1, 0));

        QuorumWaiter later = QuorumWaiter.count(3, 3);
        later.failed("any");
        later.succeeded("any");
        later.succeeded("any");
        assertThat(await(later, longDeadline)).isEqualTo(new QuorumWaiter.Tally(false, 2, 0));
    }

    @Test
    void more_required_than_expected_is_decided_once_every_answer_is_in() {
        QuorumWaiter fewReplicas = QuorumWaiter.count(3, 2);
        fewReplicas.succeeded("any");
        fewReplicas.succeeded("any");
        assertThat(await(fewReplicas, longDeadline)).isEqualTo(new QuorumWaiter.Tally(false, 2, 0));
        assertThat(await(QuorumWaiter.count(2, 0), longDeadline)).isEqualTo(new QuorumWaiter.Tally(false, 0, 0));
    }

    @Test
    void the_deadline_gives_the_count_so_far() {
        QuorumWaiter waiter = QuorumWaiter.count(2, 3);
        waiter.succeeded("any");
        assertThat(await(waiter, Deadline.afterMillis(time, 0))).isEqualTo(new QuorumWaiter.Tally(false, 1, 0));
        waiter.succeeded("any"); // after the deadline: too late
        assertThat(await(waiter, Deadline.afterMillis(time, 0))).isEqualTo(new QuorumWaiter.Tally(false, 1, 0));
    }

    /** a1, a2 in dc1 and b1, b2 in dc2: a key with two replicas in each. */
    private static final java.util.List<String> REPLICAS = java.util.List.of("a1", "b1", "a2", "b2");

    private static String dataCenterOf(String node) {
        return node.startsWith("a") ? "dc1" : "dc2";
    }

    @Test
    void a_local_quorum_counts_its_own_data_center_only() {
        QuorumRule rule = QuorumLevel.localQuorum("dc1").over(REPLICAS, QuorumWaiterTest::dataCenterOf);
        assertThat(rule.required()).isEqualTo(java.util.Map.of("dc1", 2));
        QuorumWaiter waiter = new QuorumWaiter(rule, REPLICAS);
        waiter.succeeded("b1");
        waiter.succeeded("b2");
        waiter.succeeded("a1");
        assertThat(waiter.isDecided()).as("two of dc2 and one of dc1 are not a majority of dc1").isFalse();
        waiter.failed("a2");
        QuorumWaiter.Tally tally = await(waiter, longDeadline);
        assertThat(tally.met()).isFalse();
        assertThat(rule.notMet("put", tally.successesByScope())).satisfies(e -> {
            assertThat(e.dataCenter()).contains("dc1");
            assertThat(e.required()).isEqualTo(2);
            assertThat(e.acknowledged()).isEqualTo(1);
        });
    }

    @Test
    void a_local_quorum_is_decided_without_waiting_for_the_other_data_center() {
        QuorumWaiter waiter = new QuorumWaiter(QuorumLevel.localQuorum("dc1").over(REPLICAS, QuorumWaiterTest::dataCenterOf),
                REPLICAS);
        waiter.succeeded("a1");
        waiter.succeeded("a2"); // b1, b2 silent
        assertThat(await(waiter, longDeadline).met()).isTrue();
    }

    @Test
    void an_each_quorum_needs_a_majority_everywhere_and_hints_count_only_inside_the_replica_data_center() {
        QuorumRule rule = QuorumLevel.eachQuorum().over(REPLICAS, QuorumWaiterTest::dataCenterOf);
        assertThat(rule.required()).isEqualTo(java.util.Map.of("dc1", 2, "dc2", 2));
        QuorumWaiter waiter = new QuorumWaiter(rule, REPLICAS);
        waiter.succeeded("a1");
        waiter.succeeded("a2");
        waiter.succeeded("b1");
        waiter.expectHint("a3", "b2"); // held in dc1 for a dc2 replica: counts nowhere
        waiter.expectHint("b3", "b2"); // held in dc2: counts for dc2
        waiter.failed("b2");
        waiter.hintStored("a3", "b2");
        assertThat(waiter.isDecided()).isFalse();
        waiter.hintStored("b3", "b2");
        QuorumWaiter.Tally tally = await(waiter, longDeadline);
        assertThat(tally.met()).isTrue();
        assertThat(tally.hints()).isEqualTo(1);
        assertThat(tally.successes()).isEqualTo(4);
    }

    @Test
    void a_data_center_without_replicas_of_the_key_cannot_make_a_local_quorum() {
        QuorumRule rule = QuorumLevel.localQuorum("dc3").over(REPLICAS, QuorumWaiterTest::dataCenterOf);
        QuorumWaiter waiter = new QuorumWaiter(rule, REPLICAS);
        assertThat(waiter.isDecided()).as("nothing it waits for can come").isTrue();
        assertThat(rule.notMet("get", await(waiter, longDeadline).successesByScope()).dataCenter()).contains("dc3");
    }

    @Test
    void a_rejection_ends_the_wait_with_its_reason() {
        QuorumWaiter waiter = QuorumWaiter.count(2, 3);
        waiter.reject(new InvalidRequestException("key too long"));
        assertThatThrownBy(() -> await(waiter, longDeadline)).isInstanceOf(InvalidRequestException.class).hasMessage("key too long");
    }

    @Test
    void a_closed_timer_leaves_the_outcome_to_the_answers() {
        timer.shutdown();
        QuorumWaiter waiter = QuorumWaiter.count(2, 3);
        var outcome = waiter.outcome(longDeadline, time);
        assertThat(outcome).isNotDone();
        waiter.succeeded("any");
        waiter.succeeded("any");
        assertThat(outcome.join()).isEqualTo(new QuorumWaiter.Tally(true, 2, 0));
    }
}
