/**
 * A seeded, reproducible municipality for demonstrations and measurements without real data, sent through
 * the real command path. Run: {@code java -jar target/case-journey-ledger-*.jar --simulate.cases=100000
 * --simulate.seed=42} (add {@code --simulate.benchmark=true} to time the evaluation afterwards); see
 * {@link dk.casejourney.simulation.SimulationProperties} for every setting.
 */
package dk.casejourney.simulation;
