"""migkg: a migration-coordination knowledge graph built from press releases."""

__version__ = "0.1.0"
