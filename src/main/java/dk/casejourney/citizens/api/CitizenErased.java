package dk.casejourney.citizens.api;

import org.axonframework.serialization.Revision;

/**
 * A citizen's personal data was erased: the keys it was sealed with are destroyed, so every case of the
 * citizen shows them as erased, while the pseudonym keeps their journeys countable. Who erased is the
 * event's {@code recordedBy} metadata, when its timestamp. The access log subscribes to this event.
 *
 * @param keysDestroyed how many keys were destroyed (one per citizen, more after concurrent first uses or a
 *                      return after an earlier erasure)
 */
@Revision("1")
public record CitizenErased(String citizenPseudonym, int keysDestroyed) {
}
