"""Pure 24/7 rostering: templates, working-time rules, CP-SAT model, repair, validator."""
