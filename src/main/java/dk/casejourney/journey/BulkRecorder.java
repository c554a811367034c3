package dk.casejourney.journey;

import dk.casejourney.common.LedgerMetadata;
import dk.casejourney.common.RuleViolation;
import dk.casejourney.journey.api.BulkRecording;
import dk.casejourney.journey.api.CaseCommand;
import dk.casejourney.journey.api.OpenCaseCommand;
import dk.casejourney.privacy.PersonalDataVault;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fast path for historical imports: records many commands as one all-or-nothing batch, through the same
 * case rules and interceptors as a live write.
 * <p>
 * The batch is one Axon unit of work with one database transaction. Each command is handled by the local,
 * synchronous command bus in a nested unit of work that joins the batch's transaction; a case touched several
 * times is loaded once, and all events are appended together when the batch commits. If any command is
 * refused, nothing of the batch is recorded. Live writers to a case in the batch wait for its lock until the
 * batch commits, so batches should stay small enough to commit in well under a second (hundreds of commands).
 * They should stay small for speed too: when Axon's event store reads a case, it looks for that case's events
 * among all events staged in the batch, comparing each staged event with every other
 * (AbstractEventBus.queuedMessages). On the JDBC stores a new case or a case kept in memory is checked against the
 * store alone (CaseCache), so an import of new cases no longer pays it; a stored case that is not kept, and every
 * case under Axon Server, still does. There the batch also asks the store once, before its first command, which of
 * the cases it opens exist: the absent ones are opened without a lookup each.
 */
@Component
class BulkRecorder implements BulkRecording {

    private final CommandBus localCommandBus;
    private final TransactionManager transactionManager;
    private final PersonalDataVault vault;
    private final CaseCache.StoredCases storedCases;

    /** The local segment, also under Axon Server: a batch must run in this thread and this transaction. */
    BulkRecorder(@Qualifier("localSegment") CommandBus localCommandBus, TransactionManager transactionManager,
                 PersonalDataVault vault, CaseCache.StoredCases storedCases) {
        this.localCommandBus = localCommandBus;
        this.transactionManager = transactionManager;
        this.vault = vault;
        this.storedCases = storedCases;
    }

    /** The batch's new citizens' keys are made durable together, just before it commits. */
    @Override
    public List<String> record(String recordedBy, List<? extends CaseCommand> commands) {
        return vault.inBatch(() -> recordBatch(recordedBy, commands));
    }

    private List<String> recordBatch(String recordedBy, List<? extends CaseCommand> commands) {
        if (CurrentUnitOfWork.isStarted()) {
            throw new IllegalStateException("a batch is a transaction of its own and cannot join another");
        }
        MetaData metaData = MetaData.with(LedgerMetadata.RECORDED_BY, recordedBy);
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        try {
            batch.attachTransaction(transactionManager);
            markAbsentCases(batch, commands);
            List<String> entries = new ArrayList<>(commands.size());
            for (int index = 0; index < commands.size(); index++) {
                CaseCommand command = commands.get(index);
                AtomicReference<CommandResultMessage<?>> result = new AtomicReference<>();
                localCommandBus.dispatch(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData),
                                         (message, outcome) -> result.set(outcome));
                CommandResultMessage<?> outcome = result.get();
                if (outcome == null) {
                    throw new IllegalStateException("the local command bus answered asynchronously");
                }
                if (outcome.isExceptional()) {
                    throw rejected(index, command, outcome.exceptionResult());
                }
                entries.add((String) outcome.getPayload());
            }
            batch.commit();
            return List.copyOf(entries);
        } catch (RuntimeException failure) {
            if (batch.isActive()) {
                batch.rollback(failure);
            }
            throw failure;
        }
    }

    /** The cases the batch opens that the store holds nothing of: opened without a lookup each (CaseCache). */
    private void markAbsentCases(UnitOfWork<?> batch, List<? extends CaseCommand> commands) {
        Set<String> opened = new HashSet<>();
        for (CaseCommand command : commands) {
            if (command instanceof OpenCaseCommand) {
                opened.add(command.caseId());
            }
        }
        if (opened.isEmpty()) {
            return;
        }
        Set<String> stored = storedCases.storedAmong(opened);
        if (stored != null) {
            opened.removeAll(stored);
            batch.resources().put(CaseCache.ABSENT, opened);
        }
    }

    private static BatchRejected rejected(int index, CaseCommand command, Throwable cause) {
        RuleViolation.Details violation = cause instanceof CommandExecutionException refused
                ? refused.<RuleViolation.Details>getDetails().orElse(null) : null;
        return new BatchRejected(index, command.caseId(), command.entryId(),
                                 command.getClass().getSimpleName(), violation, cause);
    }
}
