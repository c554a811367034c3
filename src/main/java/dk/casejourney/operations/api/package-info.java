/** The operations feature's public language: the backup command and its result. */
package dk.casejourney.operations.api;
