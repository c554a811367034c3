package dk.casejourney.journey;

import dk.casejourney.journey.api.CaseCommand;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.springframework.stereotype.Component;

/**
 * Finds the case a command is for through {@link CaseCommand#caseId()}. Axon's annotation-based resolver
 * searches the command's fields and methods by reflection on every command, about a sixth of a live append's
 * time here; case commands carry no expected version, so the case's own sequence guards concurrent writes.
 * Being a bean, it is also the resolver of aggregates that name none: their commands still resolve by
 * Axon's annotations.
 */
@Component(CaseCommandTargets.BEAN)
class CaseCommandTargets implements CommandTargetResolver {

    static final String BEAN = "caseCommandTargets";
    private final CommandTargetResolver annotations = AnnotationCommandTargetResolver.builder().build();

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        if (command.getPayload() instanceof CaseCommand caseCommand) {
            return new VersionedAggregateIdentifier(caseCommand.caseId(), null);
        }
        return annotations.resolveTarget(command);
    }
}
