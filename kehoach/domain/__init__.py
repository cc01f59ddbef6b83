"""Pure domain rules: no database, no UI, no I/O."""
