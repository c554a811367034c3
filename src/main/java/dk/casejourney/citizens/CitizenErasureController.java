package dk.casejourney.citizens;

import dk.casejourney.citizens.api.EraseCitizenCommand;
import dk.casejourney.common.Recording;
import dk.casejourney.privacy.PersonalDataVault;
import dk.casejourney.privacy.Pseudonymizer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;

/**
 * Erasure of a citizen's personal data (ADMIN). The CPR number is turned into the pseudonym here, at the
 * edge, so that it reaches neither the command bus nor the ledger.
 */
@RestController
@RequestMapping(path = "/api/citizens/erasures", consumes = MediaType.APPLICATION_JSON_VALUE,
        produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Erasure", description = "Make a citizen's personal data unreadable; journey figures stay intact")
class CitizenErasureController {

    private final CommandGateway commands;
    private final Recording recording;
    private static final String UNKNOWN = "P-unknown";
    private final Pseudonymizer pseudonymizer;
    private final PersonalDataVault vault;

    CitizenErasureController(CommandGateway commands, Recording recording, Pseudonymizer pseudonymizer,
                             PersonalDataVault vault) {
        this.commands = commands;
        this.recording = recording;
        this.pseudonymizer = pseudonymizer;
        this.vault = vault;
    }

    @PostMapping
    @Operation(summary = "Erase a citizen: their CPR number becomes unreadable on every case")
    Erased erase(@Valid @RequestBody Erasure body, Principal principal) {
        Recording.Request request = recording.request("citizens/erasures", null, null, principal);
        // An unknown (or already erased) number has no pseudonym: the record refuses a pseudonym it never saw.
        String citizen = vault.citizenPseudonym(pseudonymizer.pseudonymOf(body.cpr().replace("-", "")))
                              .orElse(UNKNOWN);
        String pseudonym = commands.sendAndWait(GenericCommandMessage
                .asCommandMessage(new EraseCitizenCommand(citizen))
                .andMetaData(request.metaData()));
        return new Erased(pseudonym);
    }

    /** A number of the right shape that the ledger never saw finds no key and is refused with 409. */
    record Erasure(@NotNull(message = "is required")
                   @Pattern(regexp = "\\d{6}-?\\d{4}", message = "must be 10 digits (DDMMYYXXXX or DDMMYY-XXXX)")
                   String cpr) {

        @Override
        public String toString() {
            return "Erasure[cpr=masked]";
        }
    }

    /** The erased citizen's pseudonym, by which analysis still relates their cases. */
    record Erased(String citizenPseudonym) {
    }
}
