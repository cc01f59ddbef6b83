"""Database adapter: typed models, engine set-up and migrations."""
