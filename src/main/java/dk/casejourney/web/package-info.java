/**
 * The web application for caseworkers, auditors and management: server-side pages (Thymeleaf) with htmx for
 * partial updates and Apache ECharts for charts. The pages are clients of the same command and query gateways
 * as the JSON API; nothing here computes a figure of its own.
 */
package dk.casejourney.web;
