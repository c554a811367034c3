/**
 * The public language of a citizen's case journey: commands (imperative), events (past tense, permanent,
 * revisioned), queries and their response records. Everything else in {@code journey} is internal.
 */
package dk.casejourney.journey.api;
