"""wirediff's Textual UI; it talks to `versions.service.Archive` only."""
