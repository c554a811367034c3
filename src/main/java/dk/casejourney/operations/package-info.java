/**
 * Operating the ledger: metrics in the Prometheus format, readiness that tells the truth about the event store
 * and the read models' processors, request correlation in logs and event metadata, and online backups of the
 * embedded database. See docs/operations.md.
 */
package dk.casejourney.operations;
