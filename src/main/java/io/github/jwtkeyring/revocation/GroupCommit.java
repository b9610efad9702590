package io.github.jwtkeyring.revocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import io.github.jwtkeyring.keys.StoreException;

/**
 * The group-commit queue of a {@link LedgerJournal}: changes are queued without I/O ({@link #queue}), and each caller
 * then waits for its own ({@link #await}); the first waiter that finds no write under way writes every change queued
 * so far in one go, so that concurrent changes share one durable write (one forced record, one transaction). Tickets
 * become durable in the order they were handed out.
 * <p>
 * A write that fails fails its tickets and every ticket queued after them: the writer (the ledger) holds them in memory
 * but the journal does not, so the journal refuses new changes ({@link #needsRecovery}) until the writer has read it
 * back and said so ({@link #recovered}). The queue's monitor is never held during I/O; one write (or one
 * {@link #exclusively} piece of work) runs at a time.
 */
public final class GroupCommit {

    /** Makes a batch of events durable, all or nothing, or throws {@link StoreException}. */
    @FunctionalInterface
    public interface Writer {
        void write(List<LedgerEvent> batch);
    }

    /** The events taken for one write, and the last ticket among them. */
    private record Claim(List<LedgerEvent> events, long through) {
    }

    /** A failed write: the last ticket it settled and the reason. */
    private record Failed(long through, StoreException cause) {
    }

    private final String description;
    private final Writer writer;
    /** Guards the state below; never held during I/O. */
    private final Object queue = new Object();
    /** Events queued and not yet durable, in ticket order. */
    private List<LedgerEvent> pending = new ArrayList<>();
    private long lastTicket;
    private long durableThrough;
    /** The tickets of each failed write (first to last) and why; a failure is rare, so this stays small. */
    private final TreeMap<Long, Failed> failed = new TreeMap<>();
    /** Whether a write is under way: one at a time, claimed under {@link #queue} before I/O. */
    private boolean writing;
    /** Whether a write failed and the writer has not read the journal back yet; written under {@link #queue}. */
    private volatile boolean recovering;

    /**
     * @param description the journal, for messages
     * @param writer writes a batch durably
     */
    public GroupCommit(String description, Writer writer) {
        this.description = description;
        this.writer = writer;
    }

    /**
     * Queues {@code events} for the next group write; no I/O.
     *
     * @return the ticket to {@link #await}
     * @throws StoreException while the journal is being read back after a failed write
     */
    public long queue(List<LedgerEvent> events) {
        synchronized (queue) {
            requireAccepting();
            pending.addAll(events);
            return ++lastTicket;
        }
    }

    /**
     * Waits until {@code ticket} is durable. If no write is under way, this caller writes every event queued so far;
     * otherwise it waits for the write under way, and then, if its ticket came too late for it, for the next.
     *
     * @throws StoreException if the write of this ticket failed
     */
    public void await(long ticket) {
        while (true) {
            Claim claim;
            synchronized (queue) {
                while (true) {
                    Map.Entry<Long, Failed> failure = failed.floorEntry(ticket);
                    if (failure != null && ticket <= failure.getValue().through()) {
                        StoreException cause = failure.getValue().cause();
                        throw new StoreException(cause.getMessage(), cause);
                    }
                    if (ticket <= durableThrough) {
                        return;
                    }
                    if (!writing) {
                        break;
                    }
                    waitForQueue();
                }
                claim = claim();
            }
            try {
                write(claim, batch -> {
                    if (!batch.isEmpty()) {
                        writer.write(batch);
                    }
                });
            } catch (StoreException e) {
                // settled as failed: the next turn of the loop reports it to this ticket
            }
        }
    }

    /**
     * Runs {@code work} once no write is under way, handing it every event queued so far; no other write starts until
     * it returns. {@code work} must make those events durable (with whatever else it writes): if it returns, or throws
     * anything but a {@link StoreException}, they count as durable; a {@code StoreException} fails them (and
     * {@link #needsRecovery} becomes true if there were any).
     *
     * @throws StoreException as thrown by {@code work}
     */
    public void exclusively(Consumer<List<LedgerEvent>> work) {
        Claim claim;
        synchronized (queue) {
            while (writing) {
                waitForQueue();
            }
            claim = claim();
        }
        write(claim, work);
    }

    /** Takes every queued event for one write; under {@link #queue}, with no write under way. */
    private Claim claim() {
        writing = true;
        Claim claim = new Claim(pending, lastTicket);
        pending = new ArrayList<>();
        return claim;
    }

    /** Runs {@code work} on a claimed batch and settles the claim: failed by a {@link StoreException}, else durable. */
    private void write(Claim claim, Consumer<List<LedgerEvent>> work) {
        StoreException failure = null;
        try {
            work.accept(claim.events());
        } catch (StoreException e) {
            failure = e;
            throw e;
        } finally {
            settle(claim.through(), failure);
        }
    }

    /** Whether a write failed and the journal's writer must read it back before anything else is queued. */
    public boolean needsRecovery() {
        return recovering; // read on every change: no lock
    }

    /** The writer has read the journal back after a failed write: changes are accepted again. */
    public void recovered() {
        synchronized (queue) {
            recovering = false;
        }
    }

    /**
     * Ends a write: its tickets are durable, or, if any were waiting, they and every ticket queued after them have
     * failed, and the writer must read the journal back.
     */
    private void settle(long through, StoreException failure) {
        synchronized (queue) {
            writing = false;
            if (failure == null) {
                durableThrough = Math.max(durableThrough, through);
            } else if (through > durableThrough) {
                failed.put(durableThrough + 1, new Failed(lastTicket, failure));
                durableThrough = lastTicket; // settled: none of these tickets is written from now on
                pending = new ArrayList<>();
                recovering = true;
            }
            queue.notifyAll();
        }
    }

    /** @throws StoreException while the journal is being read back after a failed write */
    public void requireAccepting() {
        synchronized (queue) {
            if (recovering) {
                throw new StoreException("The token ledger journal " + description + " is being read back after a failed "
                        + "write; the change was not made.");
            }
        }
    }

    private void waitForQueue() {
        try {
            queue.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while waiting for the token ledger journal " + description
                    + " to record a change; it may or may not be recorded.", e);
        }
    }
}
