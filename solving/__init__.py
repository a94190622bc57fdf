"""Pure helpers shared by the solver packages (`matcher`, `roster`) and their callers.

No database, no HTTP, no file I/O: the solver packages may import it, and so may the
API, the CLI, the report and the scripts, so that every front end speaks one vocabulary.
"""
