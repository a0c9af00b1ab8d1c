"""`wirediff watch`: hot folders and feeds, ingested as they land, with notifications."""
