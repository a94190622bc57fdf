"""Pure matching: compatibility rules, scoring, ranking, batch CP-SAT. No DB, no HTTP."""
