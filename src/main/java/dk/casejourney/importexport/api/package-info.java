/**
 * The public language of imports from and exports to process-mining formats: the mapping a user passes with
 * an event log, and the import report.
 */
package dk.casejourney.importexport.api;
