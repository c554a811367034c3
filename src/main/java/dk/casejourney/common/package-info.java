/**
 * What every feature shares: the Axon set-up (serialization, event and token schema, processors, error
 * handling), the HTTP problem+json vocabulary and request limits.
 */
package dk.casejourney.common;
