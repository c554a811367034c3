/**
 * The auditor's language: point-in-time replay of a case, hash-chain verification, projection rebuilds and
 * the access log of reads of personal data.
 */
package dk.casejourney.audit.api;
